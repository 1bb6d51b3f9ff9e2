"""danvan — nền tảng dân vận số (digital platform for Vietnam's mass-mobilization system)."""

__version__ = "0.1.0"
