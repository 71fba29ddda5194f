"""Who is in a school: joining and profiles (`membership`), platform member lists (`roster`)."""
