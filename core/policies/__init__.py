"""City policies: matching a report to one, links, objections and their pressure, reviews."""
