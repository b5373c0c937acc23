"""Logging setup shared by training and inference: one format, level from NB2PROD_LOG_LEVEL."""
import logging
import os

_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def get_logger(name):
    """Returns a logger whose root handler is configured once per process."""
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=os.environ.get("NB2PROD_LOG_LEVEL", "INFO"), format=_FORMAT)
    return logging.getLogger(name)
