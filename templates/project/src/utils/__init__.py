"""Configuration, logging and artifact helpers shared by training and inference."""
