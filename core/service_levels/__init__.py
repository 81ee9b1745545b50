"""The working-day calendar, deadlines, and the ladder a late report climbs."""
