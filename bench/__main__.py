from bench.fanout import main

raise SystemExit(main())
