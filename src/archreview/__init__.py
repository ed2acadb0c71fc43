"""archreview: a monthly architecture and risk review of a Python codebase."""

__version__ = "0.1.0"
