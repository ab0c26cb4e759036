"""The tools the shell hosts, in menu order. Adding a tool: one folder here, and one line below."""

from .maps.tool import MapsTool

TOOLS = (MapsTool,)
