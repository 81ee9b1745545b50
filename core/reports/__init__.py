"""One report's life: intake, the state machine, the queues staff work from, what is public."""
