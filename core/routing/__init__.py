"""The routing decision for a new report and the classifier model versions behind it."""
