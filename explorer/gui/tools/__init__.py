"""The tools the shell hosts, in menu order. Adding a tool: one folder here, and one line below."""

from .foundations.tool import FoundationsTool
from .heads.tool import HeadsTool
from .maps.tool import MapsTool

TOOLS = (MapsTool, HeadsTool, FoundationsTool)
