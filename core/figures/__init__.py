"""What is counted: metric definitions, rollups, dashboards, the evaluation, exports, gauges."""
