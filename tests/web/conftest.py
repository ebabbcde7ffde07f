from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser_support import serve
from web_support import Site, make_site

from miv.web import create_app


@pytest.fixture
def site(sqlite_url: str) -> Iterator[Site]:
    site = make_site(sqlite_url)
    with serve(create_app(site.settings)) as url:
        site.url = url
        yield site
        site.close()
