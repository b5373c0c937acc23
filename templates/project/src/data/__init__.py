"""Loading and preparing the raw data."""
