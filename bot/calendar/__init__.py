"""Time and the school year: zones and nudge instants (`zones`), a school's days (`schoolcal`),
importing calendars (`importing`) and what a new school starts with (`defaults`)."""
