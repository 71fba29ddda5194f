"""Microsoft Teams: Adaptive Cards and activities for the conversation core."""
