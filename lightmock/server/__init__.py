"""Server mode: the same mock over HTTP, for the AWS CLI, Terraform and SDKs of other languages.

``lightmock server`` on the command line (``command.py``), ``LightsailServer`` from Python
(``lightsail_server.py``); the HTTP side in ``listener.py``, the control API under
``/_lightmock/`` in ``control.py``. See docs/server.md.
"""

from lightmock.server.lightsail_server import DEFAULT_HOST, DEFAULT_PORT, LightsailServer

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "LightsailServer"]
