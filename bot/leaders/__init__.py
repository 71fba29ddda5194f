"""What leaders and operators read about a school: exports now, summaries next."""
