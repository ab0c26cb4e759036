<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name></name>
    <message>
        <source>Could not use the text</source>
        <translation>无法使用该文本</translation>
    </message>
    <message>
        <source>probe: no model is loaded yet; choose one in the Model list</source>
        <translation>探针：尚未加载模型；请在“模型”列表中选择一个</translation>
    </message>
    <message>
        <source>knockout: {model} lacks {count} of the knocked-out heads; they are no longer knocked out</source>
        <translation>敲除：{model} 没有其中 {count} 个被敲除的头；它们不再被敲除</translation>
    </message>
    <message>
        <source>kv-heads: {kv} does not divide {model}&apos;s {heads} query heads (allowed: {allowed}); using the model&apos;s own {own}</source>
        <translation>KV 头数：{kv} 不能整除 {model} 的 {heads} 个查询头（可选：{allowed}）；改用模型自身的 {own}</translation>
    </message>
    <message>
        <source>No examples found</source>
        <translation>未找到示例</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Sequences or sessions</source>
        <translation>序列或会话</translation>
    </message>
    <message>
        <source>Sequences</source>
        <translation>序列</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>会话</translation>
    </message>
    <message>
        <source>Open Session</source>
        <translation>打开会话</translation>
    </message>
    <message>
        <source>Could not open the file</source>
        <translation>无法打开文件</translation>
    </message>
    <message>
        <source>Opened {file}</source>
        <translation>已打开 {file}</translation>
    </message>
    <message>
        <source>Not enough memory for this run</source>
        <translation>内存不足，无法运行</translation>
    </message>
    <message>
        <source>Save Session</source>
        <translation>保存会话</translation>
    </message>
    <message>
        <source>Could not save the session</source>
        <translation>无法保存会话</translation>
    </message>
    <message>
        <source>Saved session to {path}</source>
        <translation>会话已保存到 {path}</translation>
    </message>
    <message>
        <source>Cannot open this file</source>
        <translation>无法打开此文件</translation>
    </message>
    <message>
        <source>{file}: drop a .txt or .jsonl file, a session .json, a .gguf file or a model folder</source>
        <translation>{file}：请拖入 .txt 或 .jsonl 文件、会话 .json 文件、.gguf 文件或模型文件夹</translation>
    </message>
    <message>
        <source>Loading the model</source>
        <translation>正在加载模型</translation>
    </message>
    <message>
        <source>Running the model</source>
        <translation>正在运行模型</translation>
    </message>
    <message>
        <source>Computing the overview</source>
        <translation>正在计算总览</translation>
    </message>
    <message>
        <source>Exporting</source>
        <translation>正在导出</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop the running job; what is on screen stays</source>
        <translation>停止正在运行的任务；屏幕上的内容保持不变</translation>
    </message>
    <message>
        <source>{job}: cancelled</source>
        <translation>{job}：已取消</translation>
    </message>
    <message>
        <source>Follow the System</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>The new language applies when the explorer restarts.</source>
        <translation>新语言将在重新启动后生效。</translation>
    </message>
    <message>
        <source>Your text, model and options are kept.</source>
        <translation>文本、模型和选项都会保留。</translation>
    </message>
    <message>
        <source>Restart Now</source>
        <translation>立即重启</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>稍后</translation>
    </message>
    <message>
        <source>Could not restart</source>
        <translation>无法重新启动</translation>
    </message>
    <message>
        <source>Start the explorer again to see the new language.</source>
        <translation>请重新启动程序以使用新语言。</translation>
    </message>
    <message>
        <source>previous / next head</source>
        <translation>上一个 / 下一个头</translation>
    </message>
    <message>
        <source>previous / next layer</source>
        <translation>上一层 / 下一层</translation>
    </message>
    <message>
        <source>first / last layer</source>
        <translation>第一层 / 最后一层</translation>
    </message>
    <message>
        <source>switch tool</source>
        <translation>切换工具</translation>
    </message>
    <message>
        <source>run the model again</source>
        <translation>重新运行模型</translation>
    </message>
    <message>
        <source>cancel the running model</source>
        <translation>取消正在运行的模型</translation>
    </message>
    <message>
        <source>open a .txt / .jsonl file of sequences, or a session</source>
        <translation>打开序列文件（.txt / .jsonl）或会话</translation>
    </message>
    <message>
        <source>save the session</source>
        <translation>保存会话</translation>
    </message>
    <message>
        <source>first / last head (Home resets the zoom first, if zoomed)</source>
        <translation>第一个 / 最后一个头（若已缩放，Home 先复位缩放）</translation>
    </message>
    <message>
        <source>reset the zoom (or double-click the map)</source>
        <translation>复位缩放（或双击热力图）</translation>
    </message>
    <message>
        <source>clear the selected cell</source>
        <translation>清除选中的单元格</translation>
    </message>
    <message>
        <source>export the heatmap (PNG, SVG, PDF, NPY, CSV)</source>
        <translation>导出热力图（PNG、SVG、PDF、NPY、CSV）</translation>
    </message>
    <message>
        <source>quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Arrow keys act when the heatmap has focus (click it, or Tab to it).</source>
        <translation>热力图获得焦点时（单击它，或用 Tab 切换到它）方向键才起作用。</translation>
    </message>
    <message>
        <source>A new text, model, layer or head resets the zoom; a new variant keeps it, to compare the same cells.</source>
        <translation>更换文本、模型、层或头会复位缩放；更换变体则保持缩放，便于比较相同的单元格。</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Attention Explorer&lt;/b&gt; shows the attention maps real pretrained transformers compute, and lets you switch masks, positional encodings and KV-head grouping on the same weights.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Attention Explorer（注意力探索器）&lt;/b&gt;展示真实预训练 Transformer 所计算的注意力图，并允许在同一组权重上切换掩码、位置编码和 KV 头分组。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>attention (0 to 1)</source>
        <translation>注意力（0 到 1）</translation>
    </message>
    <message>
        <source>log₁₀ attention</source>
        <translation>log₁₀ 注意力</translation>
    </message>
    <message>
        <source>attention / row maximum</source>
        <translation>注意力 / 行最大值</translation>
    </message>
    <message>
        <source>Main Toolbar</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Colours</source>
        <translation>颜色</translation>
    </message>
    <message>
        <source>Perceptually uniform colormaps, all readable by colour-blind viewers</source>
        <translation>感知均匀的色图，色盲读者也能分辨</translation>
    </message>
    <message>
        <source>Scale</source>
        <translation>刻度</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Model</source>
        <translation>模型(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Add Model Folder or GGUF File…</source>
        <translation>添加模型文件夹或 GGUF 文件(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Refresh Model List</source>
        <translation>刷新模型列表(&amp;R)</translation>
    </message>
    <message>
        <source>Run &amp;Again</source>
        <translation>重新运行(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Cancel Run</source>
        <translation>取消运行(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>Keyboard Shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <source>About Attention Explorer</source>
        <translation>关于 Attention Explorer</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Examples</source>
        <translation>示例(&amp;E)</translation>
    </message>
    <message>
        <source>Back to &amp;Single Text</source>
        <translation>回到单条文本(&amp;S)</translation>
    </message>
    <message>
        <source>Open &amp;Session…</source>
        <translation>打开会话(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Save Session…</source>
        <translation>保存会话(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Colormap</source>
        <translation>色图(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Scale</source>
        <translation>刻度(&amp;S)</translation>
    </message>
    <message>
        <source>The model to explore; its weights stay the same whatever variant you pick</source>
        <translation>要探索的模型；无论选择哪种变体，其权重都保持不变</translation>
    </message>
    <message>
        <source>{model}  (unusable)</source>
        <translation>{model}  （不可用）</translation>
    </message>
    <message>
        <source>Add model folder or GGUF file…</source>
        <translation>添加模型文件夹或 GGUF 文件…</translation>
    </message>
    <message>
        <source>Choose a .gguf file, or the config.json of a Hugging Face model folder</source>
        <translation>选择 .gguf 文件，或 Hugging Face 模型文件夹中的 config.json</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>All files</source>
        <translation>所有文件</translation>
    </message>
    <message>
        <source>Type a sentence…</source>
        <translation>输入一句话…</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>Text and tokens</source>
        <translation>文本与词元</translation>
    </message>
    <message>
        <source>Attention variant</source>
        <translation>注意力变体</translation>
    </message>
    <message>
        <source>Next tokens</source>
        <translation>下一个词元</translation>
    </message>
    <message>
        <source>Timings</source>
        <translation>耗时</translation>
    </message>
    <message>
        <source>Induction probe</source>
        <translation>归纳探针</translation>
    </message>
    <message>
        <source>Replace the text with {length} random tokens repeated twice: induction heads attend from each repeat to the token after its first occurrence (see the Heads tool&apos;s prefix_matching score)</source>
        <translation>将文本替换为重复两次的 {length} 个随机词元：归纳头会从每个重复处关注该词元首次出现之后的那个词元（见“头”工具的 prefix_matching 分数）</translation>
    </message>
    <message>
        <source>seed </source>
        <translation>种子 </translation>
    </message>
    <message>
        <source>The same model and seed give the same probe</source>
        <translation>相同的模型和种子给出相同的探针</translation>
    </message>
    <message>
        <source>Probe seed</source>
        <translation>探针种子</translation>
    </message>
    <message>
        <source>Text and tokens — {file}</source>
        <translation>文本与词元 — {file}</translation>
    </message>
    <message>
        <source>Attention Explorer</source>
        <translation>Attention Explorer 注意力探索器</translation>
    </message>
    <message>
        <source>Active options</source>
        <translation>当前选项</translation>
    </message>
    <message>
        <source>Could not load the model</source>
        <translation>无法加载模型</translation>
    </message>
    <message>
        <source>Attention Explorer — {model}</source>
        <translation>Attention Explorer 注意力探索器 — {model}</translation>
    </message>
    <message>
        <source>KV head groups</source>
        <translation>KV 头分组</translation>
    </message>
    <message>
        <source>{arrangement}: {heads} query heads share {kv} KV head(s)</source>
        <translation>{arrangement}：{heads} 个查询头共享 {kv} 个 KV 头</translation>
    </message>
    <message>
        <source>One head</source>
        <translation>单个头</translation>
    </message>
    <message>
        <source>Mean over heads</source>
        <translation>各头平均</translation>
    </message>
    <message>
        <source>All heads</source>
        <translation>全部头</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Head</source>
        <translation>头</translation>
    </message>
    <message>
        <source>Layer (↑/↓ in the heatmap)</source>
        <translation>层（在热力图中按 ↑/↓）</translation>
    </message>
    <message>
        <source>Head (←/→ in the heatmap)</source>
        <translation>头（在热力图中按 ←/→）</translation>
    </message>
    <message>
        <source>Which sequence of the batch to view and edit</source>
        <translation>查看和编辑批次中的哪条序列</translation>
    </message>
    <message>
        <source>View</source>
        <translation>视图</translation>
    </message>
    <message>
        <source>Sequence {number} of {count}</source>
        <translation>第 {number} 条序列，共 {count} 条</translation>
    </message>
    <message>
        <source>Next token</source>
        <translation>下一个词元</translation>
    </message>
    <message>
        <source>Probability</source>
        <translation>概率</translation>
    </message>
    <message>
        <source>Next-token prediction needs a causal language model; this one is an encoder.</source>
        <translation>下一个词元预测需要因果语言模型；此模型是编码器。</translation>
    </message>
    <message>
        <source>After the last token, the model predicts:</source>
        <translation>在最后一个词元之后，模型预测：</translation>
    </message>
    <message>
        <source>Baseline</source>
        <translation>基线</translation>
    </message>
    <message>
        <source>Δ</source>
        <translation>Δ</translation>
    </message>
    <message>
        <source>With {count} head(s) knocked out, the model predicts (baseline: no knockout):</source>
        <translation>敲除 {count} 个头后，模型预测（基线：未敲除）：</translation>
    </message>
    <message>
        <source>change in probability, in percentage points</source>
        <translation>概率的变化，以百分点计</translation>
    </message>
    <message>
        <source>{role} {index}: &quot;{label}&quot;</source>
        <translation>{role} {index}：“{label}”</translation>
    </message>
    <message>
        <source>id {id}</source>
        <translation>ID {id}</translation>
    </message>
    <message>
        <source>masked</source>
        <translation>已掩码</translation>
    </message>
    <message>
        <source>q {row} &quot;{query}&quot; → k {column} &quot;{key}&quot;: {value}</source>
        <translation>查询 {row} “{query}” → 键 {column} “{key}”：{value}</translation>
    </message>
    <message>
        <source>query</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>key</source>
        <translation>键</translation>
    </message>
    <message>
        <source>piece {piece}</source>
        <translation>片段 {piece}</translation>
    </message>
    <message>
        <source>layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>head</source>
        <translation>头</translation>
    </message>
    <message>
        <source>Click a head to open it in Maps; Ctrl+click knocks it out (or back in)</source>
        <translation>单击某个头可在“注意力图”中打开它；Ctrl+单击可敲除它（或恢复）</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>不适用</translation>
    </message>
    <message>
        <source>layer {layer} · head {head}: {value}</source>
        <translation>第 {layer} 层 · 头 {head}：{value}</translation>
    </message>
    <message>
        <source>knocked out</source>
        <translation>已敲除</translation>
    </message>
    <message>
        <source>Each thumbnail: attention of sampled query rows, each row scaled to its maximum</source>
        <translation>每个缩略图：抽样查询行的注意力，每行按其最大值缩放</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>special</source>
        <translation>特殊</translation>
    </message>
    <message>
        <source>padding</source>
        <translation>填充</translation>
    </message>
    <message>
        <source>PNG image</source>
        <translation>PNG 图像</translation>
    </message>
    <message>
        <source>SVG vector image</source>
        <translation>SVG 矢量图</translation>
    </message>
    <message>
        <source>PDF vector document</source>
        <translation>PDF 矢量文档</translation>
    </message>
    <message>
        <source>NumPy array</source>
        <translation>NumPy 数组</translation>
    </message>
    <message>
        <source>CSV table</source>
        <translation>CSV 表格</translation>
    </message>
    <message>
        <source>Export All Heads of This Layer</source>
        <translation>导出本层所有头</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source> px</source>
        <translation> 像素</translation>
    </message>
    <message>
        <source> DPI</source>
        <translation> DPI</translation>
    </message>
    <message>
        <source>Light (for print)</source>
        <translation>浅色（适合打印）</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Caption: model, layer, head and attention variant</source>
        <translation>图注：模型、层、头和注意力变体</translation>
    </message>
    <message>
        <source>Width</source>
        <translation>宽度</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>分辨率</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>{inches:.2f} inches wide at {dpi} DPI</source>
        <translation>宽 {inches:.2f} 英寸，{dpi} DPI</translation>
    </message>
    <message>
        <source>{inches:.2f} inches wide; cells and text stay sharp at any zoom</source>
        <translation>宽 {inches:.2f} 英寸；任意缩放下单元格和文字都保持清晰</translation>
    </message>
    <message>
        <source>Export into folder</source>
        <translation>导出到文件夹</translation>
    </message>
    <message>
        <source>exported {done}/{total} heads</source>
        <translation>已导出 {done}/{total} 个头</translation>
    </message>
    <message>
        <source>Nothing to export yet</source>
        <translation>暂无可导出的内容</translation>
    </message>
    <message>
        <source>nothing to export yet</source>
        <translation>暂无可导出的内容</translation>
    </message>
    <message>
        <source>the map is being updated; export again when it is shown</source>
        <translation>注意力图正在更新；请在它显示后再导出</translation>
    </message>
    <message>
        <source>JSON data</source>
        <translation>JSON 数据</translation>
    </message>
    <message>
        <source>Export Head Atlas</source>
        <translation>导出头图谱</translation>
    </message>
    <message>
        <source>Caption: model, score and attention variant</source>
        <translation>图注：模型、分数和注意力变体</translation>
    </message>
    <message>
        <source>Nothing to export yet: open the Heads tool and wait for the atlas</source>
        <translation>尚无可导出的内容：请打开“头”工具并等待图谱生成</translation>
    </message>
    <message>
        <source>unknown format &apos;{suffix}&apos;; use {formats}</source>
        <translation>未知格式“{suffix}”；请使用 {formats}</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>Exported {path}</source>
        <translation>已导出 {path}</translation>
    </message>
    <message>
        <source>drawing {name}</source>
        <translation>正在绘制 {name}</translation>
    </message>
    <message>
        <source>the map on screen (File → Export…)</source>
        <translation>屏幕上的注意力图（文件 → 导出…）</translation>
    </message>
    <message>
        <source>{message}
(folder: {folder})</source>
        <translation>{message}
（文件夹：{folder}）</translation>
    </message>
    <message>
        <source>Exported {written} heads of layer {layer} to {folder}</source>
        <translation>已将第 {layer} 层的 {written} 个头导出到 {folder}</translation>
    </message>
    <message>
        <source>&amp;Maps</source>
        <translation>注意力图(&amp;M)</translation>
    </message>
    <message>
        <source>Overview: all layers × heads</source>
        <translation>总览：所有层 × 头</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>导出(&amp;E)…</translation>
    </message>
    <message>
        <source>Export the map on screen as PNG, SVG, PDF, NPY or CSV</source>
        <translation>将屏幕上的注意力图导出为 PNG、SVG、PDF、NPY 或 CSV</translation>
    </message>
    <message>
        <source>Export &amp;All Heads of This Layer…</source>
        <translation>导出本层所有头(&amp;A)…</translation>
    </message>
    <message>
        <source>layer {layer}</source>
        <translation>第 {layer} 层</translation>
    </message>
    <message>
        <source>{layer} · all heads</source>
        <translation>{layer} · 全部头</translation>
    </message>
    <message>
        <source>mean over heads</source>
        <translation>各头平均</translation>
    </message>
    <message>
        <source>head {head}</source>
        <translation>头 {head}</translation>
    </message>
    <message>
        <source>Loading {name}…</source>
        <translation>正在加载 {name}…</translation>
    </message>
    <message>
        <source>The model could not be loaded.
{message}
Choose another model above.</source>
        <translation>无法加载模型。
{message}
请在上方选择其他模型。</translation>
    </message>
    <message>
        <source>Found, but unusable:</source>
        <translation>已找到，但无法使用：</translation>
    </message>
    <message>
        <source>No usable models found.{found}
Install the shipped models with `make run`,
or use Model → Add Model Folder or GGUF File…</source>
        <translation>未找到可用的模型。{found}
请用 `make run` 安装自带的模型，
或使用 模型 → 添加模型文件夹或 GGUF 文件…</translation>
    </message>
    <message>
        <source>Running {name}…</source>
        <translation>正在运行 {name}…</translation>
    </message>
    <message>
        <source>computing {done}/{total} layers</source>
        <translation>正在计算 {done}/{total} 层</translation>
    </message>
    <message>
        <source>Finding models…</source>
        <translation>正在查找模型…</translation>
    </message>
    <message>
        <source>Cell under the pointer</source>
        <translation>指针下的单元格</translation>
    </message>
    <message>
        <source>updating…</source>
        <translation>更新中…</translation>
    </message>
    <message>
        <source>The map is being updated</source>
        <translation>注意力图正在更新</translation>
    </message>
    <message>
        <source>A new run is being computed; the faded map is the previous one</source>
        <translation>正在计算新的运行；变淡的是上一次的注意力图</translation>
    </message>
    <message>
        <source>Reset zoom</source>
        <translation>重置缩放</translation>
    </message>
    <message>
        <source>Show the whole map (double-click, Home or Ctrl+0)</source>
        <translation>显示完整的注意力图（双击、Home 或 Ctrl+0）</translation>
    </message>
    <message>
        <source>head {head} · kv {kv}</source>
        <translation>头 {head} · KV {kv}</translation>
    </message>
    <message>
        <source>Total {ms} ms</source>
        <translation>共 {ms} 毫秒</translation>
    </message>
    <message>
        <source>1 token computed</source>
        <translation>计算了 1 个词元</translation>
    </message>
    <message>
        <source>{n} tokens computed</source>
        <translation>计算了 {n} 个词元</translation>
    </message>
    <message>
        <source>({rate} tokens/s)</source>
        <translation>（{rate} 词元/秒）</translation>
    </message>
    <message>
        <source>{n} reused</source>
        <translation>复用 {n} 个</translation>
    </message>
    <message>
        <source>No run yet</source>
        <translation>尚未运行</translation>
    </message>
    <message>
        <source>Timing summary</source>
        <translation>耗时汇总</translation>
    </message>
    <message>
        <source>Run on the CPU or a GPU (enabled when a GPU is present)</source>
        <translation>在 CPU 或 GPU 上运行（有 GPU 时可用）</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>ms</source>
        <translation>毫秒</translation>
    </message>
    <message>
        <source>GPU (CUDA)</source>
        <translation>GPU（CUDA）</translation>
    </message>
    <message>
        <source>GPU (MPS)</source>
        <translation>GPU（MPS）</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Tokens per second counts only the tokens this run computed; reused tokens were taken unchanged from the previous run (the text before the edit).</source>
        <translation>每秒词元数只统计本次运行实际计算的词元；复用的词元直接取自上一次运行（编辑前的文本），未重新计算。</translation>
    </message>
    <message>
        <source>Model&apos;s own</source>
        <translation>模型自身</translation>
    </message>
    <message>
        <source>The mask the model was trained with: causal for decoders, none for encoders.</source>
        <translation>模型训练时使用的掩码：解码器为因果掩码，编码器不加掩码。</translation>
    </message>
    <message>
        <source>Causal</source>
        <translation>因果</translation>
    </message>
    <message>
        <source>Query i sees keys j ≤ i: no token looks ahead, as in a decoder (GPT, Llama).</source>
        <translation>查询 i 只看到键 j ≤ i：任何词元都不能向后看，与解码器（GPT、Llama）相同。</translation>
    </message>
    <message>
        <source>Bidirectional</source>
        <translation>双向</translation>
    </message>
    <message>
        <source>Every query sees every key (all i, j), as in an encoder (BERT).</source>
        <translation>每个查询看到所有键（任意 i、j），与编码器（BERT）相同。</translation>
    </message>
    <message>
        <source>Prefix-LM</source>
        <translation>前缀语言模型</translation>
    </message>
    <message>
        <source>The first P tokens see each other both ways (i, j &lt; P); after them, query i sees keys j ≤ i.</source>
        <translation>前 P 个词元彼此双向可见（i, j &lt; P）；之后查询 i 只看到键 j ≤ i。</translation>
    </message>
    <message>
        <source>The positional encoding the model was trained with.</source>
        <translation>模型训练时使用的位置编码。</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>No positions: a score depends on content alone, so attention cannot tell the order of the tokens.</source>
        <translation>没有位置信息：得分只取决于内容，因此注意力无法区分词元的顺序。</translation>
    </message>
    <message>
        <source>RoPE</source>
        <translation>RoPE</translation>
    </message>
    <message>
        <source>Rotary positions: rotates each pair k of q and k dimensions by position·θ^(−2k/d), so q·k depends on i − j.</source>
        <translation>旋转位置编码：将 q 和 k 的第 k 对维度旋转 位置·θ^(−2k/d)，使 q·k 只依赖于 i − j。</translation>
    </message>
    <message>
        <source>Sinusoidal</source>
        <translation>正弦</translation>
    </message>
    <message>
        <source>Adds sin and cos of position·10000^(−2k/d) to the token embeddings, as the original Transformer.</source>
        <translation>把 位置·10000^(−2k/d) 的正弦和余弦加到词元嵌入上，与原始 Transformer 相同。</translation>
    </message>
    <message>
        <source>ALiBi</source>
        <translation>ALiBi</translation>
    </message>
    <message>
        <source>No embedding: adds −m·|i − j| to every score, with one slope m per head, so distant keys fade.</source>
        <translation>不使用位置嵌入：给每个得分加上 −m·|i − j|，每个头一个斜率 m，因此距离远的键逐渐减弱。</translation>
    </message>
    <message>
        <source>Which keys each query may see. Hidden keys get −∞ before the softmax, so their weight is exactly 0.</source>
        <translation>每个查询可以看到哪些键。被隐藏的键在 softmax 之前得到 −∞，因此权重恰好为 0。</translation>
    </message>
    <message>
        <source>Prefix-LM: the first P tokens see each other both ways (i, j &lt; P); later queries are causal.</source>
        <translation>前缀语言模型：前 P 个词元彼此双向可见（i, j &lt; P）；之后的查询为因果。</translation>
    </message>
    <message>
        <source>Sliding window: query i sees only keys with |i − j| &lt; W (with a causal mask, i − W &lt; j ≤ i).</source>
        <translation>滑动窗口：查询 i 只看到满足 |i − j| &lt; W 的键（配合因果掩码时为 i − W &lt; j ≤ i）。</translation>
    </message>
    <message>
        <source>The window W: query i sees keys with |i − j| &lt; W.</source>
        <translation>窗口 W：查询 i 看到满足 |i − j| &lt; W 的键。</translation>
    </message>
    <message>
        <source>Hides the diagonal: query i may not see key j = i, so it must attend to other tokens.</source>
        <translation>隐藏对角线：查询 i 不能看到键 j = i，因此必须关注其他词元。</translation>
    </message>
    <message>
        <source>Texts of a batch are padded to one length. With this on, no query sees a pad key (pad j ⇒ −∞); off, pads take part in the softmax as if they were text.</source>
        <translation>批次中的文本会被填充到同一长度。开启时，任何查询都看不到填充键（填充 j ⇒ −∞）；关闭时，填充像普通文本一样参与 softmax。</translation>
    </message>
    <message>
        <source>How attention knows where a token is. RoPE and ALiBi act on the scores, the others on the input.</source>
        <translation>注意力如何知道词元的位置。RoPE 和 ALiBi 作用于得分，其他方式作用于输入。</translation>
    </message>
    <message>
        <source>RoPE&apos;s base θ: dimension pair k turns by position·θ^(−2k/d). A larger θ turns slower and reaches further.</source>
        <translation>RoPE 的基数 θ：第 k 对维度旋转 位置·θ^(−2k/d)。θ 越大，旋转越慢，作用距离越远。</translation>
    </message>
    <message>
        <source>H query heads share G key/value heads, H/G to a group: G = H is MHA, 1 &lt; G &lt; H is GQA, G = 1 is MQA.</source>
        <translation>H 个查询头共享 G 个键/值头，每组 H/G 个：G = H 为 MHA，1 &lt; G &lt; H 为 GQA，G = 1 为 MQA。</translation>
    </message>
    <message>
        <source>Divides the scores before the softmax: softmax(QKᵀ/(√d·T)). T &gt; 1 flattens attention, T &lt; 1 sharpens it.</source>
        <translation>在 softmax 之前除以得分：softmax(QKᵀ/(√d·T))。T &gt; 1 使注意力更平缓，T &lt; 1 使其更尖锐。</translation>
    </message>
    <message>
        <source>Back to the model&apos;s own mask, positions, KV heads and temperature.</source>
        <translation>恢复模型自身的掩码、位置编码、KV 头数和温度。</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>Reset to the model&apos;s own</source>
        <translation>恢复为模型自身设置</translation>
    </message>
    <message>
        <source>Mask</source>
        <translation>掩码</translation>
    </message>
    <message>
        <source>tokens</source>
        <translation>个词元</translation>
    </message>
    <message>
        <source>Prefix</source>
        <translation>前缀</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>No self-attention (hide the diagonal)</source>
        <translation>禁止自注意力（隐藏对角线）</translation>
    </message>
    <message>
        <source>Mask padding in a batch</source>
        <translation>在批次中掩码填充</translation>
    </message>
    <message>
        <source>Padding</source>
        <translation>填充</translation>
    </message>
    <message>
        <source>Positions</source>
        <translation>位置编码</translation>
    </message>
    <message>
        <source>RoPE base</source>
        <translation>RoPE 基数</translation>
    </message>
    <message>
        <source>KV heads</source>
        <translation>KV 头数</translation>
    </message>
    <message>
        <source>Model&apos;s own ({what})</source>
        <translation>模型自身（{what}）</translation>
    </message>
    <message>
        <source>causal</source>
        <translation>因果</translation>
    </message>
    <message>
        <source>bidirectional</source>
        <translation>双向</translation>
    </message>
    <message>
        <source>on</source>
        <translation>开</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <source>mask {mask} · pos {pos} · KV heads {kv}/{heads} ({kind}) · T={temperature} · padding mask {padding}</source>
        <translation>掩码 {mask} · 位置 {pos} · KV 头 {kv}/{heads}（{kind}）· T={temperature} · 填充掩码 {padding}</translation>
    </message>
    <message>
        <source>layer {done}/{total}</source>
        <translation>第 {done}/{total} 层</translation>
    </message>
    <message>
        <source>baseline without knockout: layer {done}/{total}</source>
        <translation>未敲除的基线：第 {done}/{total} 层</translation>
    </message>
    <message>
        <source>{kind} · model&apos;s own</source>
        <translation>{kind} · 模型自身</translation>
    </message>
    <message>
        <source>overview: layer {done}/{total}</source>
        <translation>总览：第 {done}/{total} 层</translation>
    </message>
    <message>
        <source>drop in log p({target}) when knocked out, nats</source>
        <translation>敲除后 log p({target}) 的下降，单位奈特</translation>
    </message>
    <message>
        <source>entropy, nats</source>
        <translation>熵，单位奈特</translation>
    </message>
    <message>
        <source>mean distance, tokens</source>
        <translation>平均距离，单位词元</translation>
    </message>
    <message>
        <source>{score}, attention fraction</source>
        <translation>{score}，注意力占比</translation>
    </message>
    <message>
        <source>head scores: layer {done}/{total}</source>
        <translation>头分数：第 {done}/{total} 层</translation>
    </message>
    <message>
        <source>head importance: {done}/{total} heads</source>
        <translation>头重要性：{done}/{total} 个头</translation>
    </message>
    <message>
        <source>&amp;Heads</source>
        <translation>头(&amp;H)</translation>
    </message>
    <message>
        <source>Logit lens</source>
        <translation>Logit 透镜</translation>
    </message>
    <message>
        <source>Export Head &amp;Atlas…</source>
        <translation>导出头图谱(&amp;A)…</translation>
    </message>
    <message>
        <source>Export the head atlas as PNG, SVG or PDF, or every head&apos;s scores as CSV/JSON</source>
        <translation>将头图谱导出为 PNG、SVG 或 PDF，或将每个头的分数导出为 CSV/JSON</translation>
    </message>
    <message>
        <source>computing head scores…</source>
        <translation>正在计算头分数…</translation>
    </message>
    <message>
        <source>knocking out each head in turn…</source>
        <translation>正在逐个敲除每个头…</translation>
    </message>
    <message>
        <source>The logit lens reads a causal language model&apos;s next-token prediction; {model} is an encoder.</source>
        <translation>Logit 透镜读取因果语言模型的下一个词元预测；{model} 是编码器。</translation>
    </message>
    <message>
        <source>Head importance reads a causal language model&apos;s next-token prediction; {model} is an encoder.</source>
        <translation>头重要性读取因果语言模型的下一个词元预测；{model} 是编码器。</translation>
    </message>
    <message>
        <source>{model} · {tokens} tokens · click a head to open it in Maps, Ctrl+click to knock it out</source>
        <translation>{model} · {tokens} 个词元 · 单击某个头在“注意力图”中打开，Ctrl+单击敲除它</translation>
    </message>
    <message>
        <source>target: the model&apos;s own top next token {token} (p = {p:.1%})</source>
        <translation>目标：模型自身概率最高的下一个词元 {token}（p = {p:.1%}）</translation>
    </message>
    <message>
        <source>Clear knockouts ({count})</source>
        <translation>清除敲除（{count}）</translation>
    </message>
    <message>
        <source>Clear knockouts</source>
        <translation>清除敲除</translation>
    </message>
    <message>
        <source>Waiting for the run…</source>
        <translation>正在等待运行…</translation>
    </message>
    <message>
        <source>previous token</source>
        <translation>前一个词元</translation>
    </message>
    <message>
        <source>attends to itself</source>
        <translation>关注自身</translation>
    </message>
    <message>
        <source>first token (sink)</source>
        <translation>首个词元（汇点）</translation>
    </message>
    <message>
        <source>induction</source>
        <translation>归纳</translation>
    </message>
    <message>
        <source>special tokens</source>
        <translation>特殊词元</translation>
    </message>
    <message>
        <source>spread, nats</source>
        <translation>分散度，单位奈特</translation>
    </message>
    <message>
        <source>reach, tokens</source>
        <translation>跨度，单位词元</translation>
    </message>
    <message>
        <source>knockout scan of the next token</source>
        <translation>对下一个词元的敲除扫描</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>分数</translation>
    </message>
    <message>
        <source>Knock every head back in: runs are plain again</source>
        <translation>恢复所有被敲除的头：运行恢复为普通运行</translation>
    </message>
    <message>
        <source>Atlas status</source>
        <translation>图谱状态</translation>
    </message>
    <message>
        <source>Colour by</source>
        <translation>着色依据</translation>
    </message>
    <message>
        <source>Head under the pointer</source>
        <translation>指针下的头</translation>
    </message>
    <message>
        <source>KV group</source>
        <translation>KV 组</translation>
    </message>
    <message>
        <source>Knocked out: tick to silence the head in every run</source>
        <translation>敲除：勾选后在每次运行中屏蔽该头</translation>
    </message>
    <message>
        <source>What each layer&apos;s residual stream predicts after the last token (top {k}); the last layer is the model&apos;s own prediction:</source>
        <translation>每一层的残差流在最后一个词元之后预测的内容（前 {k} 个）；最后一层即模型自身的预测：</translation>
    </message>
</context>
</TS>
