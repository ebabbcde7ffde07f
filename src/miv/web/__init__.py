"""The server-rendered web app: the survey for respondents and the management pages."""

from miv.web.app import create_app
from miv.web.settings import Settings

__all__ = ["Settings", "create_app"]
