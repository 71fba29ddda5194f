"""Good practice travels: sharing with a department, standouts, consent, reposts, adoption.

The rules live here, in the core: who may share what, when an entry becomes a standout, that
nothing leaves its department without its author's consent, and where a standout goes.
Storage only keeps the records; adapters only render and deliver.
"""
