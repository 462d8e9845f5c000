"""TAPPED IN: a workbook that turns each job rejection into progress."""

__version__ = "0.1.0"
