"""The tools the shell hosts, in menu order. Adding a tool: one folder here, and one line below."""

from .compare.tool import CompareTool
from .corpus.tool import CorpusTool
from .flow.tool import FlowTool
from .foundations.tool import FoundationsTool
from .generate.tool import GenerateTool
from .geometry.tool import GeometryTool
from .heads.tool import HeadsTool
from .maps.tool import MapsTool
from .patching.tool import PatchingTool
from .seq2seq.tool import Seq2seqTool

# The model's attention first (one head, every head, where information flows, two variants, generation), then the labs.
TOOLS = (
    MapsTool, HeadsTool, FlowTool, CompareTool, GenerateTool, Seq2seqTool, FoundationsTool, PatchingTool, GeometryTool,
    CorpusTool,
)  # fmt: skip
