"""The evidence base: themes for every entry (a school-wide taxonomy and an offline classifier)
and the most similar earlier steps by other people."""
