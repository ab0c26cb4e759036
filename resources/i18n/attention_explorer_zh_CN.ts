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
        <source>Of the last run, not of the text as it is now</source>
        <translation>来自上一次运行，不是当前文本的结果</translation>
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
        <source>Jensen–Shannon divergence (nats, at most ln 2)</source>
        <translation>Jensen–Shannon 散度（奈特，至多 ln 2）</translation>
    </message>
    <message>
        <source>KL(A‖B) (nats; ∞ where B&apos;s mask hides a key A attends to)</source>
        <translation>KL(A‖B)（奈特；若 B 的掩码隐藏了 A 所关注的键，则为 ∞）</translation>
    </message>
    <message>
        <source>Model&apos;s own mask vs window 8</source>
        <translation>模型自身掩码 vs 窗口 8</translation>
    </message>
    <message>
        <source>RoPE θ = 100000 vs 10000</source>
        <translation>RoPE θ = 100000 vs 10000</translation>
    </message>
    <message>
        <source>GQA vs MQA (kv-heads 3 vs 1)</source>
        <translation>GQA vs MQA（KV 头数 3 vs 1）</translation>
    </message>
    <message>
        <source>Temperature 1 vs 0.5</source>
        <translation>温度 1 vs 0.5</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>The layer whose head A, B and B − A show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Head</source>
        <translation>头</translation>
    </message>
    <message>
        <source>The head A, B and B − A show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Divergence</source>
        <translation>散度</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Choose a typical comparison…</source>
        <translation>选择一种典型对比…</translation>
    </message>
    <message>
        <source>Variant B may run on another model with the same tokenizer</source>
        <translation>变体 B 可以在使用相同分词器的另一个模型上运行</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>预设</translation>
    </message>
    <message>
        <source>Model B</source>
        <translation>模型 B</translation>
    </message>
    <message>
        <source>Variant A</source>
        <translation>变体 A</translation>
    </message>
    <message>
        <source>Variant B</source>
        <translation>变体 B</translation>
    </message>
    <message>
        <source>Same as A ({model})</source>
        <translation>与 A 相同（{model}）</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>连线</translation>
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
        <source>A local layer sees only a sliding window of recent tokens; a global layer sees every earlier token</source>
        <translation>局部层只看到最近词元的滑动窗口；全局层看到之前的每个词元</translation>
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
        <source>{kind}: the weights are not finite rows summing to 1; nothing is drawn</source>
        <translation>{kind}：权重不是和为 1 的有限值行；未绘制任何内容</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>The five scores</source>
        <translation>五种评分函数</translation>
    </message>
    <message>
        <source>Why 1/√d</source>
        <translation>为何除以 √d</translation>
    </message>
    <message>
        <source>Queries and keys</source>
        <translation>查询和键</translation>
    </message>
    <message>
        <source>Random N(0, 1)</source>
        <translation>随机 N(0, 1)</translation>
    </message>
    <message>
        <source>Loaded model&apos;s Q and K</source>
        <translation>已加载模型的 Q 和 K</translation>
    </message>
    <message>
        <source>Queries n</source>
        <translation>查询数 n</translation>
    </message>
    <message>
        <source>Keys m</source>
        <translation>键数 m</translation>
    </message>
    <message>
        <source>Row entropy against d</source>
        <translation>行熵随 d 的变化</translation>
    </message>
    <message>
        <source>softmax(QKᵀ)</source>
        <translation>softmax(QKᵀ)</translation>
    </message>
    <message>
        <source>softmax(QKᵀ/√d)</source>
        <translation>softmax(QKᵀ/√d)</translation>
    </message>
    <message>
        <source>W, W_q, W_k and v are seeded random stand-ins for learned parameters.</source>
        <translation>W、W_q、W_k 和 v 是按固定种子生成的随机值，用来代替学习得到的参数。</translation>
    </message>
    <message>
        <source>random queries [{n}, {d}] and keys [{m}, {d}]</source>
        <translation>随机查询 [{n}, {d}] 和键 [{m}, {d}]</translation>
    </message>
    <message>
        <source>no run yet: load a model and type a text, or choose random queries and keys</source>
        <translation>尚未运行：请加载模型并输入文本，或选择随机查询和键</translation>
    </message>
    <message>
        <source>{model} · layer {layer} · head {head} · {tokens} · d = {d} (post-RoPE, no mask)</source>
        <translation>{model} · 第 {layer} 层 · 头 {head} · {tokens} · d = {d}（RoPE 之后，无掩码）</translation>
    </message>
    <message>
        <source>reading the head&apos;s Q and K…</source>
        <translation>正在读取该头的 Q 和 K…</translation>
    </message>
    <message>
        <source>{kind} · attention weights</source>
        <translation>{kind} · 注意力权重</translation>
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
        <source>uniform: log m</source>
        <translation>均匀分布：log m</translation>
    </message>
    <message>
        <source>Mean row entropy against d ({n} queries, {m} keys)</source>
        <translation>平均行熵随 d 的变化（{n} 个查询，{m} 个键）</translation>
    </message>
    <message>
        <source>entropy (nats)</source>
        <translation>熵（奈特）</translation>
    </message>
    <message>
        <source>entropy from d = 2 to 1024; the maps use d = {d}</source>
        <translation>d 从 2 到 1024 时的熵；注意力图使用 d = {d}</translation>
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
        <source>Nothing to export yet: run a sweep (or an attribution) first</source>
        <translation>还没有可导出的内容：请先运行扫描（或归因）</translation>
    </message>
    <message>
        <source>Export Patching Figure</source>
        <translation>导出修补图</translation>
    </message>
    <message>
        <source>Caption: model, texts, answer and metric</source>
        <translation>说明文字：模型、文本、答案与指标</translation>
    </message>
    <message>
        <source>Click a head to open it in Maps; Ctrl+click knocks it out (or back in)</source>
        <translation>单击某个头可在“注意力图”中打开它；Ctrl+单击可敲除它（或恢复）</translation>
    </message>
    <message>
        <source>Click a head to show it above</source>
        <translation>单击某个头，在上方显示它</translation>
    </message>
    <message>
        <source>The clean text has {a}, the corrupted {b}: patching needs the same number of tokens (the table shows both tokenizations)</source>
        <translation>干净文本有 {a}，损坏文本有 {b}：修补需要相同的词元数（表格显示两种分词）</translation>
    </message>
    <message>
        <source>The two texts have the same tokens: a corruption must change at least one</source>
        <translation>两段文本的词元完全相同：损坏文本至少要改变一个词元</translation>
    </message>
    <message>
        <source>{model} · {tokens} each · they differ at {where}</source>
        <translation>{model} · 各 {tokens} · 不同之处：{where}</translation>
    </message>
    <message>
        <source>{model} is not a causal language model: patching and attribution need one (a next-token answer)</source>
        <translation>{model} 不是因果语言模型：修补与归因需要因果语言模型（预测下一个词元）</translation>
    </message>
    <message>
        <source>{metric}: clean {clean:.3f}, corrupted {corrupt:.3f} · {seconds:.1f} s</source>
        <translation>{metric}：干净 {clean:.3f}，损坏 {corrupt:.3f} · {seconds:.1f} 秒</translation>
    </message>
    <message>
        <source>click a head to open it in Maps</source>
        <translation>点击一个头在“注意力图”中打开</translation>
    </message>
    <message>
        <source>restored fraction</source>
        <translation>恢复比例</translation>
    </message>
    <message>
        <source>restored {value}</source>
        <translation>恢复 {value}</translation>
    </message>
    <message>
        <source>undefined</source>
        <translation>未定义</translation>
    </message>
    <message>
        <source>Correlation of attribution patching with the exact sweep: r = {r} over {n} patches</source>
        <translation>归因修补与精确扫描的相关系数：r = {r}（共 {n} 个修补）</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>不适用</translation>
    </message>
    <message>
        <source>Target {target!r} · integrated gradients&apos; completeness error {error} · each row coloured on its own scale (hover for values)</source>
        <translation>目标 {target!r} · 积分梯度的完备性误差 {error} · 每行按各自的尺度着色（悬停查看数值）</translation>
    </message>
    <message>
        <source>∞ in {rows} of {total} query rows: B&apos;s mask hides keys that A attends to</source>
        <translation>{total} 个查询行中有 {rows} 个为 ∞：B 的掩码隐藏了 A 所关注的键</translation>
    </message>
    <message>
        <source>mean over the other rows {value:.4g}</source>
        <translation>其余各行的平均值 {value:.4g}</translation>
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
        <source>Export Figure</source>
        <translation>导出图表</translation>
    </message>
    <message>
        <source>Caption: the page&apos;s settings</source>
        <translation>图注：本页的设置</translation>
    </message>
    <message>
        <source>writing {name}</source>
        <translation>正在写入 {name}</translation>
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
        <source>Nothing to export yet: open the Flow tool and wait for it</source>
        <translation>尚无可导出的内容：请打开“注意力流”工具并等待其完成</translation>
    </message>
    <message>
        <source>Export Comparison</source>
        <translation>导出对比</translation>
    </message>
    <message>
        <source>Caption: model, head and both variants</source>
        <translation>图注：模型、注意力头和两个变体</translation>
    </message>
    <message>
        <source>JSON: the whole comparison</source>
        <translation>JSON：完整的对比结果</translation>
    </message>
    <message>
        <source>Nothing to export yet: open the Compare tool and wait for it</source>
        <translation>尚无可导出的内容：请打开“对比”工具并等待其完成</translation>
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
        <source>the comparison changed before it could be written; wait for the new one and export again</source>
        <translation>写入前对比结果已改变；请等待新的对比完成后再导出</translation>
    </message>
    <message>
        <source>Exported {path}</source>
        <translation>已导出 {path}</translation>
    </message>
    <message>
        <source>Caption: model, corpus, texts and tokens</source>
        <translation>图注：模型、语料库、文本数和词元数</translation>
    </message>
    <message>
        <source>{model} · {corpus}: each head&apos;s mean over {texts} texts ({tokens} tokens)</source>
        <translation>{model} · {corpus}：每个头在 {texts} 个文本（{tokens} 个词元）上的平均值</translation>
    </message>
    <message>
        <source>Nothing to export yet: run the corpus or open its results first</source>
        <translation>尚无可导出的内容：请先运行语料库或打开其结果</translation>
    </message>
    <message>
        <source>Export Corpus Atlas</source>
        <translation>导出语料库图谱</translation>
    </message>
    <message>
        <source>Nothing to export yet: click a head in the corpus atlas first</source>
        <translation>尚无可导出的内容：请先在语料库图谱中点击一个头</translation>
    </message>
    <message>
        <source>Export Top Examples</source>
        <translation>导出最高示例</translation>
    </message>
    <message>
        <source>{score} over the corpus</source>
        <translation>语料库上的 {score}</translation>
    </message>
    <message>
        <source>drawing {name}</source>
        <translation>正在绘制 {name}</translation>
    </message>
    <message>
        <source>this map of {n} tokens is shown as block summaries ({n}² values would not fit); export it as a figure, or use `main.py export` with one layer and head to write its values</source>
        <translation>这张 {n} 个词元的图以分块摘要显示（{n}² 个值放不下）；请导出为图片，或用 `main.py export` 指定一层一头写出其数值</translation>
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
        <source>Overview: all layers × heads, norm-weighted</source>
        <translation>总览：所有层 × 头，范数加权</translation>
    </message>
    <message>
        <source>layer {layer}</source>
        <translation>第 {layer} 层</translation>
    </message>
    <message>
        <source>lines</source>
        <translation>连线</translation>
    </message>
    <message>
        <source>norm-weighted</source>
        <translation>范数加权</translation>
    </message>
    <message>
        <source>JSON lines data</source>
        <translation>JSON 连线数据</translation>
    </message>
    <message>
        <source>the lines are being updated; export again when they are shown</source>
        <translation>连线正在更新；显示后再导出</translation>
    </message>
    <message>
        <source>{layer} · all heads</source>
        <translation>{layer} · 全部头</translation>
    </message>
    <message>
        <source>{layer} · all heads · norm-weighted</source>
        <translation>{layer} · 全部头 · 范数加权</translation>
    </message>
    <message>
        <source>{what} · norm-weighted</source>
        <translation>{what} · 范数加权</translation>
    </message>
    <message>
        <source>mean over heads</source>
        <translation>各头平均</translation>
    </message>
    <message>
        <source>max over heads</source>
        <translation>各头最大值</translation>
    </message>
    <message>
        <source>min over heads</source>
        <translation>各头最小值</translation>
    </message>
    <message>
        <source>Rollout and flow status</source>
        <translation>注意力展开与注意力流状态</translation>
    </message>
    <message>
        <source>Residual share</source>
        <translation>残差占比</translation>
    </message>
    <message>
        <source>r in Â = (1 − r)·A + r·I: how much of each layer&apos;s output the skip connection carries</source>
        <translation>Â = (1 − r)·A + r·I 中的 r：每层输出中由跳跃连接承载的比例</translation>
    </message>
    <message>
        <source>Head reduction</source>
        <translation>头的汇总方式</translation>
    </message>
    <message>
        <source>How a layer&apos;s heads become one map before the product (flow uses the mean)</source>
        <translation>连乘之前如何把一层的各个头合成一张图（注意力流使用平均值）</translation>
    </message>
    <message>
        <source>last token</source>
        <translation>最后一个词元</translation>
    </message>
    <message>
        <source>Flow query</source>
        <translation>注意力流的查询位置</translation>
    </message>
    <message>
        <source>The position the flow goes into; click a row of the map to choose it</source>
        <translation>注意力流流入的位置；单击图中的某一行即可选择</translation>
    </message>
    <message>
        <source>Residual</source>
        <translation>残差</translation>
    </message>
    <message>
        <source>Heads</source>
        <translation>头</translation>
    </message>
    <message>
        <source>Flow into</source>
        <translation>流入</translation>
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
Install the shipped models with
{command}
or use Model → Add Model Folder or GGUF File…</source>
        <translation>未找到可用的模型。{found}
用以下命令安装自带的模型：
{command}
或使用 模型 → 添加模型文件夹或 GGUF 文件…</translation>
    </message>
    <message>
        <source>Running {name}…</source>
        <translation>正在运行 {name}…</translation>
    </message>
    <message>
        <source>Layer {layer}, head {head} is not in {name} ({layers} layers × {heads} heads): showing layer {shown_layer}, head {shown_head}</source>
        <translation>{name} 中没有第 {layer} 层第 {head} 个头（共 {layers} 层 × {heads} 个头）：改为显示第 {shown_layer} 层第 {shown_head} 个头</translation>
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
        <source>Weighting:</source>
        <translation>加权：</translation>
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
        <source>Map weighting</source>
        <translation>注意力图加权方式</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <source>Each cell is the attention weight A[i, j]: rows sum to 1.</source>
        <translation>每个单元格是注意力权重 A[i, j]：每行之和为 1。</translation>
    </message>
    <message>
        <source>Norm-weighted</source>
        <translation>范数加权</translation>
    </message>
    <message>
        <source>Each cell is A[i, j]·‖v_j W_O‖: the weight times the length of what key j&apos;s value adds to the head&apos;s output (Kobayashi et al. 2020). A key with a large weight but a short value vector, such as a sink token, counts for little. Rows are renormalised to sum to 1 for display.</source>
        <translation>每个单元格是 A[i, j]·‖v_j W_O‖：权重乘以键 j 的值对该头输出所贡献向量的长度（Kobayashi et al. 2020）。权重大但值向量短的键（例如汇点词元）作用很小。为便于显示，各行重新归一化为和为 1。</translation>
    </message>
    <message>
        <source>What a cell measures: the attention weight, or the weight times the norm of the value it moves</source>
        <translation>单元格的度量：注意力权重，或权重乘以其所搬运的值向量的范数</translation>
    </message>
    <message>
        <source>Block summary</source>
        <translation>分块摘要</translation>
    </message>
    <message>
        <source>Blocks: maximum</source>
        <translation>分块：最大值</translation>
    </message>
    <message>
        <source>Blocks: mean</source>
        <translation>分块：平均值</translation>
    </message>
    <message>
        <source>This map has more cells than the screen has pixels: each pixel shows the largest (or the mean) attention of its block of cells. Zoom in to see single cells.</source>
        <translation>这张图的单元格比屏幕像素多：每个像素显示其一块单元格中最大（或平均）的注意力。放大即可看到单个单元格。</translation>
    </message>
    <message>
        <source>norm-weighted share (0 to 1)</source>
        <translation>范数加权占比（0 到 1）</translation>
    </message>
    <message>
        <source>log₁₀ norm-weighted share</source>
        <translation>log₁₀ 范数加权占比</translation>
    </message>
    <message>
        <source>norm-weighted share / row maximum</source>
        <translation>范数加权占比 / 行最大值</translation>
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
        <source>Orange bars: global layers (every token); blue: local layers (a sliding window)</source>
        <translation>橙色柱：全局层（所有词元）；蓝色：局部层（滑动窗口）</translation>
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
        <source>Learned (loaded model)</source>
        <translation>可学习（已加载模型）</translation>
    </message>
    <message>
        <source>RoPE</source>
        <translation>RoPE</translation>
    </message>
    <message>
        <source>T5 buckets</source>
        <translation>T5 分桶</translation>
    </message>
    <message>
        <source>2-D sin-cos</source>
        <translation>二维 sin-cos</translation>
    </message>
    <message>
        <source>Encoding</source>
        <translation>编码方式</translation>
    </message>
    <message>
        <source>Dimension d</source>
        <translation>维度 d</translation>
    </message>
    <message>
        <source>Cosine similarity (else dot product)</source>
        <translation>余弦相似度（否则为点积）</translation>
    </message>
    <message>
        <source>RoPE base θ</source>
        <translation>RoPE 基数 θ</translation>
    </message>
    <message>
        <source>Max relative distance</source>
        <translation>最大相对距离</translation>
    </message>
    <message>
        <source>Pair i</source>
        <translation>维度对 i</translation>
    </message>
    <message>
        <source>Buckets</source>
        <translation>分桶</translation>
    </message>
    <message>
        <source>Max distance</source>
        <translation>最大距离</translation>
    </message>
    <message>
        <source>Bidirectional (else causal)</source>
        <translation>双向（否则为因果）</translation>
    </message>
    <message>
        <source>Grid height H</source>
        <translation>网格高度 H</translation>
    </message>
    <message>
        <source>Grid width W</source>
        <translation>网格宽度 W</translation>
    </message>
    <message>
        <source>Patch row</source>
        <translation>图块行</translation>
    </message>
    <message>
        <source>Patch column</source>
        <translation>图块列</translation>
    </message>
    <message>
        <source>Learned positions come from the loaded model: load all-minilm-l6-v2 (512 learned positions) or a GPT-2 folder.</source>
        <translation>可学习的位置编码来自已加载的模型：请加载 all-minilm-l6-v2（512 个可学习位置）或 GPT-2 模型文件夹。</translation>
    </message>
    <message>
        <source>Load all-minilm-l6-v2 (512 learned positions) or a GPT-2 folder to see a learned table.</source>
        <translation>加载 all-minilm-l6-v2（512 个可学习位置）或 GPT-2 模型文件夹，即可查看学习得到的位置表。</translation>
    </message>
    <message>
        <source>reading {model}&apos;s position embeddings…</source>
        <translation>正在读取 {model} 的位置嵌入…</translation>
    </message>
    <message>
        <source>{model}: {n} learned positions of dimension {d}</source>
        <translation>{model}：{n} 个可学习位置，维度 {d}</translation>
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
        <source>The step&apos;s new token</source>
        <translation>该步生成的新词元</translation>
    </message>
    <message>
        <source>Generation status</source>
        <translation>生成状态</translation>
    </message>
    <message>
        <source>New tokens</source>
        <translation>新词元数</translation>
    </message>
    <message>
        <source>How many tokens to generate after the text</source>
        <translation>在文本之后生成多少个词元</translation>
    </message>
    <message>
        <source>Decoding</source>
        <translation>解码方式</translation>
    </message>
    <message>
        <source>greedy</source>
        <translation>贪心</translation>
    </message>
    <message>
        <source>sampling</source>
        <translation>采样</translation>
    </message>
    <message>
        <source>Sampling temperature</source>
        <translation>采样温度</translation>
    </message>
    <message>
        <source>Sampling draws from softmax(logits / temperature)</source>
        <translation>采样从 softmax(logits / temperature) 中抽取</translation>
    </message>
    <message>
        <source>The same seed draws the same tokens</source>
        <translation>相同的种子抽取相同的词元</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Write the tokens one at a time from the text, with the variant&apos;s options</source>
        <translation>按当前变体的选项，从文本开始逐个生成词元</translation>
    </message>
    <message>
        <source>Stop after the current token; the steps so far are kept</source>
        <translation>在当前词元之后停止；已完成的步骤会保留</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>The layer whose head is shown</source>
        <translation>所显示的头所在的层</translation>
    </message>
    <message>
        <source>The head whose row and map are shown</source>
        <translation>显示其注意力行和注意力图的头</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>Scrub through the steps (← and → on the figures too)</source>
        <translation>拖动浏览各步（在图上也可按 ← 和 →）</translation>
    </message>
    <message>
        <source>no steps yet</source>
        <translation>尚无步骤</translation>
    </message>
    <message>
        <source>step {step} of {count}</source>
        <translation>第 {step} 步，共 {count} 步</translation>
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
        <source>Encoder self-attention</source>
        <translation>编码器自注意力</translation>
    </message>
    <message>
        <source>Decoder self-attention (causal)</source>
        <translation>解码器自注意力（因果）</translation>
    </message>
    <message>
        <source>Cross-attention (output → source)</source>
        <translation>交叉注意力（输出 → 源）</translation>
    </message>
    <message>
        <source>Self-attention (whole sequence)</source>
        <translation>自注意力（整个序列）</translation>
    </message>
    <message>
        <source>System</source>
        <translation>架构</translation>
    </message>
    <message>
        <source>Transformer (nn.Transformer)</source>
        <translation>Transformer（nn.Transformer）</translation>
    </message>
    <message>
        <source>GRU with attention</source>
        <translation>带注意力的 GRU</translation>
    </message>
    <message>
        <source>Tiny GPT (decoder-only)</source>
        <translation>微型 GPT（仅解码器）</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>The GRU&apos;s attention score: additive (Bahdanau); dot, general, concat (Luong)</source>
        <translation>GRU 的注意力评分：additive（Bahdanau）；dot、general、concat（Luong）</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>层数</translation>
    </message>
    <message>
        <source>KV heads</source>
        <translation>KV 头数</translation>
    </message>
    <message>
        <source>= heads (MHA)</source>
        <translation>= 头数（MHA）</translation>
    </message>
    <message>
        <source>The GPT&apos;s key/value heads: = heads is MHA, 1 is MQA, a divisor between is GQA</source>
        <translation>GPT 的键/值头数：等于头数为 MHA，1 为 MQA，介于两者之间的约数为 GQA</translation>
    </message>
    <message>
        <source>d_model</source>
        <translation>d_model</translation>
    </message>
    <message>
        <source>Dropout</source>
        <translation>丢弃率（Dropout）</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>长度</translation>
    </message>
    <message>
        <source>Vocabulary</source>
        <translation>词表大小</translation>
    </message>
    <message>
        <source>Difficulty</source>
        <translation>难度</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Snapshot every</source>
        <translation>快照间隔</translation>
    </message>
    <message>
        <source>An evaluation and an attention snapshot every this many steps</source>
        <translation>每隔这么多步进行一次评估并保存一次注意力快照</translation>
    </message>
    <message>
        <source>Examples</source>
        <translation>示例</translation>
    </message>
    <message>
        <source>MHA / GQA / MQA costs</source>
        <translation>MHA / GQA / MQA 开销</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <source>Load…</source>
        <translation>加载…</translation>
    </message>
    <message>
        <source>Train a new model from these settings (seeded: the same run every time)</source>
        <translation>按这些设置训练一个新模型（固定种子：每次运行结果相同）</translation>
    </message>
    <message>
        <source>Pause training, or resume it where it stopped</source>
        <translation>暂停训练，或从停下的地方继续</translation>
    </message>
    <message>
        <source>End this run: the model stays, for examples, maps and saving</source>
        <translation>结束本次运行：模型会保留，可用于示例、注意力图和保存</translation>
    </message>
    <message>
        <source>Forget the model, its curves and its snapshots</source>
        <translation>丢弃模型及其曲线和快照</translation>
    </message>
    <message>
        <source>Save the model as safetensors, with its settings in JSON beside it</source>
        <translation>将模型保存为 safetensors，并在旁边以 JSON 保存其设置</translation>
    </message>
    <message>
        <source>Load a model saved by the lab (safetensors + JSON)</source>
        <translation>加载由实验室保存的模型（safetensors + JSON）</translation>
    </message>
    <message>
        <source>The model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Use the model&apos;s settings</source>
        <translation>使用模型的设置</translation>
    </message>
    <message>
        <source>Put the model&apos;s settings back in the form, so Translate and Resume use it</source>
        <translation>把模型的设置填回表单，让“翻译”和“继续”使用它</translation>
    </message>
    <message>
        <source>Training status</source>
        <translation>训练状态</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>The map on screen as a figure (PNG, SVG, PDF) or data (NPY, CSV, JSON)</source>
        <translation>将屏幕上的注意力图导出为图表（PNG、SVG、PDF）或数据（NPY、CSV、JSON）</translation>
    </message>
    <message>
        <source>Model&apos;s own ({what})</source>
        <translation>模型自身（{what}）</translation>
    </message>
    <message>
        <source>cosine similarity</source>
        <translation>余弦相似度</translation>
    </message>
    <message>
        <source>dot product</source>
        <translation>点积</translation>
    </message>
    <message>
        <source>{what}: position × position {value}</source>
        <translation>{what}：位置 × 位置 {value}</translation>
    </message>
    <message>
        <source>position i</source>
        <translation>位置 i</translation>
    </message>
    <message>
        <source>position j</source>
        <translation>位置 j</translation>
    </message>
    <message>
        <source> (colours end at the 99th percentile)</source>
        <translation>（颜色范围截至第 99 百分位数）</translation>
    </message>
    <message>
        <source>Sinusoidal PE [{n} × {d}]</source>
        <translation>正弦位置编码 [{n} × {d}]</translation>
    </message>
    <message>
        <source>position</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>dimension</source>
        <translation>维度</translation>
    </message>
    <message>
        <source>{model}: learned positions [{n} of {total} × {d}]</source>
        <translation>{model}：可学习位置 [{total} 个中的前 {n} 个 × {d}]</translation>
    </message>
    <message>
        <source>value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>Learned</source>
        <translation>可学习</translation>
    </message>
    <message>
        <source>bound (1/(d/2)) Σⱼ |Sⱼ|</source>
        <translation>上界 (1/(d/2)) Σⱼ |Sⱼ|</translation>
    </message>
    <message>
        <source>its mean per octave</source>
        <translation>其每倍频程的平均值</translation>
    </message>
    <message>
        <source>q·k / d for q = k = 1</source>
        <translation>q = k = 1 时的 q·k / d</translation>
    </message>
    <message>
        <source>RoPE long-range decay · θ = {theta:g}, d = {d}</source>
        <translation>RoPE 远程衰减 · θ = {theta:g}，d = {d}</translation>
    </message>
    <message>
        <source>relative distance r</source>
        <translation>相对距离 r</translation>
    </message>
    <message>
        <source>Pair {pair} rotated by p·θ_{pair} for p = 0 … 15</source>
        <translation>第 {pair} 对维度旋转 p·θ_{pair}，p = 0 … 15</translation>
    </message>
    <message>
        <source>unit circle</source>
        <translation>单位圆</translation>
    </message>
    <message>
        <source>positions 0 … 15</source>
        <translation>位置 0 … 15</translation>
    </message>
    <message>
        <source>head: {head} is outside 0 … {last}</source>
        <translation>头：{head} 超出 0 … {last} 的范围</translation>
    </message>
    <message>
        <source>ALiBi bias, head {head} of {heads}: m = {m:.4g}</source>
        <translation>ALiBi 偏置，头 {head}（共 {heads} 个）：m = {m:.4g}</translation>
    </message>
    <message>
        <source>query i</source>
        <translation>查询 i</translation>
    </message>
    <message>
        <source>key j</source>
        <translation>键 j</translation>
    </message>
    <message>
        <source>ALiBi slopes for {heads} heads</source>
        <translation>{heads} 个头的 ALiBi 斜率</translation>
    </message>
    <message>
        <source>head h</source>
        <translation>头 h</translation>
    </message>
    <message>
        <source>slope m_h</source>
        <translation>斜率 m_h</translation>
    </message>
    <message>
        <source>slope</source>
        <translation>斜率</translation>
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
        <source>T5 buckets of j − i · {n} buckets, max distance {d}, {kind}</source>
        <translation>j − i 的 T5 分桶 · {n} 个桶，最大距离 {d}，{kind}</translation>
    </message>
    <message>
        <source>bucket</source>
        <translation>桶</translation>
    </message>
    <message>
        <source>Bias b[bucket(j − i)] (one seeded N(0, 1) per bucket)</source>
        <translation>偏置 b[bucket(j − i)]（每个桶一个按固定种子生成的 N(0, 1) 值）</translation>
    </message>
    <message>
        <source>bias</source>
        <translation>偏置</translation>
    </message>
    <message>
        <source>patch: ({row}, {column}) is outside the {h}×{w} grid</source>
        <translation>图块：({row}, {column}) 超出 {h}×{w} 网格</translation>
    </message>
    <message>
        <source>Cosine similarity of patch ({row}, {column}) with every patch</source>
        <translation>图块 ({row}, {column}) 与每个图块的余弦相似度</translation>
    </message>
    <message>
        <source>patch row</source>
        <translation>图块行</translation>
    </message>
    <message>
        <source>patch column</source>
        <translation>图块列</translation>
    </message>
    <message>
        <source>2-D sin-cos PE [{n} patches × {d}]: columns, then rows</source>
        <translation>二维 sin-cos 位置编码 [{n} 个图块 × {d}]：先列后行</translation>
    </message>
    <message>
        <source>patch (row-major)</source>
        <translation>图块（行优先）</translation>
    </message>
    <message>
        <source>Sinusoidal (Vaswani et al. 2017)</source>
        <translation>正弦（Vaswani et al. 2017）</translation>
    </message>
    <message>
        <source>Similarity</source>
        <translation>相似度</translation>
    </message>
    <message>
        <source>learned</source>
        <translation>可学习</translation>
    </message>
    <message>
        <source>sinusoidal</source>
        <translation>正弦</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>no-self</source>
        <translation>不看自身</translation>
    </message>
    <message>
        <source>Drawing the map</source>
        <translation>正在绘制注意力图</translation>
    </message>
    <message>
        <source>Scoring the heads</source>
        <translation>正在为各注意力头打分</translation>
    </message>
    <message>
        <source>Measuring head importance</source>
        <translation>正在测量注意力头的重要性</translation>
    </message>
    <message>
        <source>Reading the logit lens</source>
        <translation>正在读取 logit lens</translation>
    </message>
    <message>
        <source>Running the induction probe</source>
        <translation>正在运行归纳探针</translation>
    </message>
    <message>
        <source>Comparing the variants</source>
        <translation>正在比较两个变体</translation>
    </message>
    <message>
        <source>Comparing the head</source>
        <translation>正在比较该注意力头</translation>
    </message>
    <message>
        <source>Computing the rollout</source>
        <translation>正在计算注意力展开（rollout）</translation>
    </message>
    <message>
        <source>Computing the attention flow</source>
        <translation>正在计算注意力流</translation>
    </message>
    <message>
        <source>Generating</source>
        <translation>正在生成</translation>
    </message>
    <message>
        <source>Training the lab model</source>
        <translation>正在训练实验模型</translation>
    </message>
    <message>
        <source>Comparing MHA, GQA and MQA</source>
        <translation>正在比较 MHA、GQA 与 MQA</translation>
    </message>
    <message>
        <source>Evaluating the lab model</source>
        <translation>正在评估实验模型</translation>
    </message>
    <message>
        <source>Saving the lab model</source>
        <translation>正在保存实验模型</translation>
    </message>
    <message>
        <source>Loading the lab model</source>
        <translation>正在加载实验模型</translation>
    </message>
    <message>
        <source>Learning the merges</source>
        <translation>正在学习合并规则</translation>
    </message>
    <message>
        <source>Scoring the corpus</source>
        <translation>正在为语料库评分</translation>
    </message>
    <message>
        <source>Reading the corpus</source>
        <translation>正在读取语料库</translation>
    </message>
    <message>
        <source>Reading the corpus results</source>
        <translation>正在读取语料库结果</translation>
    </message>
    <message>
        <source>Working</source>
        <translation>正在处理</translation>
    </message>
    <message>
        <source>1 token</source>
        <translation>1 个词元</translation>
    </message>
    <message>
        <source>{n} tokens</source>
        <translation>{n} 个词元</translation>
    </message>
    <message>
        <source>Learned positions</source>
        <translation>可学习位置</translation>
    </message>
    <message>
        <source>Learned positions: similarity</source>
        <translation>可学习位置：相似度</translation>
    </message>
    <message>
        <source>Drawn from a model with learned positions: choose all-minilm-l6-v2 in the Model list.</source>
        <translation>此图取自带可学习位置编码的模型：请在“模型”列表中选择 all-minilm-l6-v2。</translation>
    </message>
    <message>
        <source>Learned (BERT, GPT-2)</source>
        <translation>可学习（BERT、GPT-2）</translation>
    </message>
    <message>
        <source>RoPE (Su et al., RoFormer)</source>
        <translation>RoPE（Su et al.，RoFormer）</translation>
    </message>
    <message>
        <source>Long-range decay (§3.4.3)</source>
        <translation>远程衰减（§3.4.3）</translation>
    </message>
    <message>
        <source>ALiBi (Press et al. 2022)</source>
        <translation>ALiBi（Press et al. 2022）</translation>
    </message>
    <message>
        <source>Slopes</source>
        <translation>斜率</translation>
    </message>
    <message>
        <source>T5 relative buckets (Raffel et al. 2020)</source>
        <translation>T5 相对位置分桶（Raffel et al. 2020）</translation>
    </message>
    <message>
        <source>2-D sin-cos (ViT/MAE)</source>
        <translation>二维 sin-cos（ViT/MAE）</translation>
    </message>
    <message>
        <source>Shown</source>
        <translation>图中所示</translation>
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
        <source>lines: head {done}/{total}</source>
        <translation>连线：头 {done}/{total}</translation>
    </message>
    <message>
        <source>Norm weighting is drawn for texts of up to {limit} tokens; this one has {n}. Choose Attention.</source>
        <translation>范数加权只对不超过 {limit} 个词元的文本绘制；此文本有 {n} 个。请选择“注意力”。</translation>
    </message>
    <message>
        <source>drawing the map at the screen&apos;s resolution</source>
        <translation>按屏幕分辨率绘制注意力图</translation>
    </message>
    <message>
        <source>overview: layer {done}/{total}</source>
        <translation>总览：第 {done}/{total} 层</translation>
    </message>
    <message>
        <source>change in log p({target}) when knocked out, nats (negative: the head helps)</source>
        <translation>敲除后 log p({target}) 的变化，单位奈特（负值：该头有帮助）</translation>
    </message>
    <message>
        <source>⚠ prefix_matching is n/a for every head: no token of this text repeats (try the Induction probe)</source>
        <translation>⚠ prefix_matching 对每个头都不适用：这段文本中没有重复的词元（试试“归纳探针”）</translation>
    </message>
    <message>
        <source>⚠ {score} is n/a for every head of this text</source>
        <translation>⚠ {score} 对这段文本的每个头都不适用</translation>
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
        <source>{model} · {tokens} · click a head to open it in Maps, Ctrl+click to knock it out</source>
        <translation>{model} · {tokens} · 单击某个头在“注意力图”中打开，Ctrl+单击敲除它</translation>
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
        <source>PCA</source>
        <translation>PCA</translation>
    </message>
    <message>
        <source>t-SNE</source>
        <translation>t-SNE</translation>
    </message>
    <message>
        <source>UMAP</source>
        <translation>UMAP</translation>
    </message>
    <message>
        <source>query / key</source>
        <translation>查询 / 键</translation>
    </message>
    <message>
        <source>token</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>One query&apos;s q and each key&apos;s k, element by element: the products sum to q·k; times the scale 1/√d (÷ temperature), plus the score bias (the mask&apos;s −∞, ALiBi&apos;s distance penalty), is the score; softmax over the keys is the attention. Every number is the engine&apos;s own. Click a key&apos;s row to make it the query.</source>
        <translation>一个查询的 q 与每个键的 k 逐元素相乘：乘积之和为 q·k；乘以缩放 1/√d（÷ 温度），再加上分数偏置（掩码的 −∞、ALiBi 的距离惩罚），即为分数；对各键做 softmax 即为注意力。每个数字都来自引擎本身。点击某个键的行可把它设为查询。</translation>
    </message>
    <message>
        <source>AttentionViz&apos;s joint embedding: the head&apos;s queries (●) and keys (▲) in one picture. Before the projection the keys are translated so that both centroids coincide, and queries and keys are scaled inversely so that their mean norms match; neither changes any softmax (a constant added to a row of scores, and q·k kept), so the picture is of the attention itself. Click a point to outline its row (query) or column (key) in Maps.</source>
        <translation>AttentionViz 的联合嵌入：该头的查询（●）和键（▲）画在同一张图中。投影之前先平移键使两个质心重合，再反向缩放查询和键使其平均范数相等；两步都不改变任何 softmax（只是给一行分数加上常数，q·k 保持不变），所以图中所示就是注意力本身。点击一个点可在注意力图中勾出它的行（查询）或列（键）。</translation>
    </message>
    <message>
        <source>Query–key status</source>
        <translation>查询–键状态</translation>
    </message>
    <message>
        <source>Neuron view</source>
        <translation>神经元视图</translation>
    </message>
    <message>
        <source>Query–key scatter</source>
        <translation>查询–键散点图</translation>
    </message>
    <message>
        <source>Point under the pointer</source>
        <translation>指针下的点</translation>
    </message>
    <message>
        <source>The neuron view&apos;s query; click a key&apos;s row to choose it</source>
        <translation>神经元视图的查询；点击某个键的行即可选择它</translation>
    </message>
    <message>
        <source>How the scatter projects the vectors to 2-D: PCA (exact, fast), t-SNE or UMAP (neighbourhoods; slower, run as a job you can cancel)</source>
        <translation>散点图把向量投影到二维的方法：PCA（精确、快速）、t-SNE 或 UMAP（保留邻域；较慢，作为可取消的任务运行）</translation>
    </message>
    <message>
        <source>Query</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>Pool over a corpus…</source>
        <translation>汇集语料库…</translation>
    </message>
    <message>
        <source>Choose a corpus (.txt, .jsonl, .parquet): the scatter shows this head&apos;s queries and keys over its texts, normalised together, as a sample of the points asked for</source>
        <translation>选择一个语料库（.txt、.jsonl、.parquet）：散点图显示该头在其全部文本上的查询和键，统一归一化，并按所要求的点数抽样</translation>
    </message>
    <message>
        <source>Points the pooled scatter keeps: a seeded uniform sample, half queries and half keys</source>
        <translation>汇集散点图保留的点数：带种子的均匀抽样，查询和键各占一半</translation>
    </message>
    <message>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Read at most this many of the corpus&apos;s texts (each is run once)</source>
        <translation>最多读取语料库中这么多篇文本（每篇运行一次）</translation>
    </message>
    <message>
        <source>Current text</source>
        <translation>当前文本</translation>
    </message>
    <message>
        <source>Show the current text&apos;s queries and keys again</source>
        <translation>重新显示当前文本的查询和键</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>点数</translation>
    </message>
    <message>
        <source>Texts</source>
        <translation>文本数</translation>
    </message>
    <message>
        <source>Colour by</source>
        <translation>着色依据</translation>
    </message>
    <message>
        <source>Projection</source>
        <translation>投影</translation>
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
    <message>
        <source>comparing heads: layer {done}/{total}</source>
        <translation>正在比较各头：第 {done}/{total} 层</translation>
    </message>
    <message>
        <source>running A: layer {done}</source>
        <translation>正在运行 A：第 {done} 层</translation>
    </message>
    <message>
        <source>running B: layer {done}</source>
        <translation>正在运行 B：第 {done} 层</translation>
    </message>
    <message>
        <source>&amp;Compare</source>
        <translation>对比(&amp;C)</translation>
    </message>
    <message>
        <source>Variants A and B</source>
        <translation>变体 A 和 B</translation>
    </message>
    <message>
        <source>Export &amp;Comparison…</source>
        <translation>导出对比(&amp;C)…</translation>
    </message>
    <message>
        <source>Export A, B and B − A as PNG, SVG or PDF, the difference as NPY or CSV, or everything as JSON</source>
        <translation>将 A、B 和 B − A 导出为 PNG、SVG 或 PDF，将差值导出为 NPY 或 CSV，或将全部内容导出为 JSON</translation>
    </message>
    <message>
        <source>running variants A and B…</source>
        <translation>正在运行变体 A 和 B…</translation>
    </message>
    <message>
        <source>Variant A predicts:</source>
        <translation>变体 A 预测：</translation>
    </message>
    <message>
        <source>Variant B predicts:</source>
        <translation>变体 B 预测：</translation>
    </message>
    <message>
        <source>KL(A‖B), nats</source>
        <translation>KL(A‖B)，单位奈特</translation>
    </message>
    <message>
        <source>Jensen–Shannon, nats</source>
        <translation>Jensen–Shannon，单位奈特</translation>
    </message>
    <message>
        <source>layer {layer} · head {head}</source>
        <translation>第 {layer} 层 · 头 {head}</translation>
    </message>
    <message>
        <source>A: {a} · B: {b} · mean JS {js:.4f} nats</source>
        <translation>A：{a} · B：{b} · 平均 JS {js:.4f} 奈特</translation>
    </message>
    <message>
        <source>KL(A‖B) is ∞ in {count} of {total} heads: B&apos;s mask hides keys that A attends to</source>
        <translation>{total} 个头中有 {count} 个的 KL(A‖B) 为 ∞：B 的掩码隐藏了 A 所关注的键</translation>
    </message>
    <message>
        <source>rollout: layer {done}/{total}</source>
        <translation>注意力展开：第 {done}/{total} 层</translation>
    </message>
    <message>
        <source>attention flow: step {done}/{total}</source>
        <translation>注意力流：第 {done}/{total} 步</translation>
    </message>
    <message>
        <source>&amp;Flow</source>
        <translation>注意力流(&amp;F)</translation>
    </message>
    <message>
        <source>Export &amp;Rollout…</source>
        <translation>导出注意力展开(&amp;R)…</translation>
    </message>
    <message>
        <source>Export the rollout map as PNG, SVG or PDF, or as NPY, CSV or JSON</source>
        <translation>将注意力展开图导出为 PNG、SVG 或 PDF，或导出为 NPY、CSV 或 JSON</translation>
    </message>
    <message>
        <source>Export F&amp;low…</source>
        <translation>导出注意力流(&amp;L)…</translation>
    </message>
    <message>
        <source>Export the flow bars as PNG, SVG or PDF, or as NPY, CSV or JSON</source>
        <translation>将注意力流条形图导出为 PNG、SVG 或 PDF，或导出为 NPY、CSV 或 JSON</translation>
    </message>
    <message>
        <source>computing the rollout…</source>
        <translation>正在计算注意力展开…</translation>
    </message>
    <message>
        <source>Flow is computed up to {limit} tokens (one maximum flow per token); this text has {n}. The rollout map above covers any length.</source>
        <translation>注意力流最多计算 {limit} 个词元（每个词元求解一次最大流）；此文本有 {n} 个。上方的注意力展开图适用于任意长度。</translation>
    </message>
    <message>
        <source>rollout: {reduce}, residual {r:g}</source>
        <translation>注意力展开：{reduce}，残差 {r:g}</translation>
    </message>
    <message>
        <source>Rollout R = Â_L ⋯ Â_1: row i is how much of each input token reaches position i</source>
        <translation>注意力展开 R = Â_L ⋯ Â_1：第 i 行表示每个输入词元有多少到达位置 i</translation>
    </message>
    <message>
        <source>Corpus</source>
        <translation>语料</translation>
    </message>
    <message>
        <source>Typed below</source>
        <translation>下方输入的文本</translation>
    </message>
    <message>
        <source>Typed corpus</source>
        <translation>输入的语料</translation>
    </message>
    <message>
        <source>Merges to learn</source>
        <translation>要学习的合并数</translation>
    </message>
    <message>
        <source>Merges applied</source>
        <translation>应用的合并数</translation>
    </message>
    <message>
        <source>Word to explain</source>
        <translation>要解析的单词</translation>
    </message>
    <message>
        <source>Slide k</source>
        <translation>拖动调节 k</translation>
    </message>
    <message>
        <source>Merges in the order learned</source>
        <translation>按学习顺序排列的合并</translation>
    </message>
    <message>
        <source>The corpus after k merges</source>
        <translation>k 次合并后的语料</translation>
    </message>
    <message>
        <source>A word built merge by merge</source>
        <translation>逐次合并构建一个单词</translation>
    </message>
    <message>
        <source>Corpus length in pieces against merges</source>
        <translation>语料片段数随合并次数的变化</translation>
    </message>
    <message>
        <source>Learning</source>
        <translation>学习</translation>
    </message>
    <message>
        <source>Encoding a word</source>
        <translation>编码一个单词</translation>
    </message>
    <message>
        <source>WordPiece (BERT, MiniLM)</source>
        <translation>WordPiece（BERT、MiniLM）</translation>
    </message>
    <message>
        <source>The last step of an explained word is exactly what the tokenizer encodes it to.</source>
        <translation>所解析单词的最后一步，正是分词器对它的编码结果。</translation>
    </message>
    <message>
        <source>corpus: cannot read {path}: {error}</source>
        <translation>语料：无法读取 {path}：{error}</translation>
    </message>
    <message>
        <source>learning merges…</source>
        <translation>正在学习合并…</translation>
    </message>
    <message>
        <source>k = {k}</source>
        <translation>k = {k}</translation>
    </message>
    <message>
        <source>{pieces} pieces for {words} words after {k} merges</source>
        <translation>{k} 次合并后，{words} 个单词共 {pieces} 个片段</translation>
    </message>
    <message>
        <source>merges applied k</source>
        <translation>已应用的合并数 k</translation>
    </message>
    <message>
        <source>pieces in the corpus</source>
        <translation>语料中的片段数</translation>
    </message>
    <message>
        <source>pieces</source>
        <translation>片段</translation>
    </message>
    <message>
        <source>{n} merges learned · {k} applied</source>
        <translation>已学习 {n} 个合并 · 已应用 {k} 个</translation>
    </message>
    <message>
        <source>Type a word to see how the loaded model&apos;s tokenizer builds it.</source>
        <translation>输入一个单词，查看已加载模型的分词器如何构建它。</translation>
    </message>
    <message>
        <source>No model is loaded: the word is explained with the loaded model&apos;s tokenizer.</source>
        <translation>尚未加载模型：单词要用已加载模型的分词器来解析。</translation>
    </message>
    <message>
        <source>{model} · {algorithm} · parts: {parts}</source>
        <translation>{model} · {algorithm} · 切分：{parts}</translation>
    </message>
    <message>
        <source>merge #{rank}: {a} + {b}  →  {pieces}</source>
        <translation>合并 #{rank}：{a} + {b}  →  {pieces}</translation>
    </message>
    <message>
        <source>tokens: {tokens}</source>
        <translation>词元：{tokens}</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>Steps per Train</source>
        <translation>每次训练的步数</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>LSTM hidden size</source>
        <translation>LSTM 隐藏层大小</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Share negated</source>
        <translation>否定句比例</translation>
    </message>
    <message>
        <source>Sentence</source>
        <translation>句子</translation>
    </message>
    <message>
        <source>Batch heatmap rows</source>
        <translation>批热力图行数</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <source>Training loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <source>Press “Train”: the loss appears here, live.</source>
        <translation>按“训练”：损失会实时显示在这里。</translation>
    </message>
    <message>
        <source>Measured on held-out sentences at each evaluation, once training has started.</source>
        <translation>训练开始后，每次评估时在留出集句子上测得。</translation>
    </message>
    <message>
        <source>Held-out accuracy and cue attention</source>
        <translation>留出集准确率与线索注意力</translation>
    </message>
    <message>
        <source>Attention per word</source>
        <translation>每个单词的注意力</translation>
    </message>
    <message>
        <source>Attention over held-out sentences</source>
        <translation>留出集句子上的注意力</translation>
    </message>
    <message>
        <source>BiLSTM states</source>
        <translation>BiLSTM 状态</translation>
    </message>
    <message>
        <source>Attention (Zhou et al. 2016)</source>
        <translation>注意力（Zhou et al. 2016）</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>A label depends on one sentiment cue among distractors, flipped by a &apos;not&apos; before it.</source>
        <translation>标签取决于干扰词中的一个情感线索词；若其前面有“not”，标签翻转。</translation>
    </message>
    <message>
        <source>Press Train: a seeded BiLSTM with attention learns the task live.</source>
        <translation>按“训练”：一个固定种子的带注意力 BiLSTM 会实时学习该任务。</translation>
    </message>
    <message>
        <source>training the classifier</source>
        <translation>正在训练分类器</translation>
    </message>
    <message>
        <source>Training loss · step {step}</source>
        <translation>训练损失 · 第 {step} 步</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>cross-entropy</source>
        <translation>交叉熵</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>accuracy {a:.1%} · cue_attention_mass {m:.3f}</source>
        <translation>准确率 {a:.1%} · cue_attention_mass {m:.3f}</translation>
    </message>
    <message>
        <source>held-out accuracy</source>
        <translation>留出集准确率</translation>
    </message>
    <message>
        <source>share</source>
        <translation>比例</translation>
    </message>
    <message>
        <source>typed · predicted {label} ({p:.0%})</source>
        <translation>输入的句子 · 预测为 {label}（{p:.0%}）</translation>
    </message>
    <message>
        <source>positive</source>
        <translation>正面</translation>
    </message>
    <message>
        <source>negative</source>
        <translation>负面</translation>
    </message>
    <message>
        <source>held-out · label {label}</source>
        <translation>留出集 · 标签 {label}</translation>
    </message>
    <message>
        <source>word</source>
        <translation>单词</translation>
    </message>
    <message>
        <source>Attention over {k} held-out sentences</source>
        <translation>{k} 个留出集句子上的注意力</translation>
    </message>
    <message>
        <source>sentence</source>
        <translation>句子</translation>
    </message>
    <message>
        <source>word position</source>
        <translation>单词位置</translation>
    </message>
    <message>
        <source>No model is loaded: choose one in the Model list (MiniLM has learned positions).</source>
        <translation>尚未加载模型：请在“模型”列表中选择一个（MiniLM 具有可学习的位置编码）。</translation>
    </message>
    <message>
        <source>Gaussian</source>
        <translation>高斯</translation>
    </message>
    <message>
        <source>Boxcar</source>
        <translation>矩形</translation>
    </message>
    <message>
        <source>Constant</source>
        <translation>常数</translation>
    </message>
    <message>
        <source>Epanechnikov</source>
        <translation>Epanechnikov</translation>
    </message>
    <message>
        <source>Kernel</source>
        <translation>核</translation>
    </message>
    <message>
        <source>Bandwidth h</source>
        <translation>带宽 h</translation>
    </message>
    <message>
        <source>Training points</source>
        <translation>训练点数</translation>
    </message>
    <message>
        <source>Noise σ</source>
        <translation>噪声 σ</translation>
    </message>
    <message>
        <source>Training steps (w)</source>
        <translation>训练步数（w）</translation>
    </message>
    <message>
        <source>Train w</source>
        <translation>训练 w</translation>
    </message>
    <message>
        <source>Attention weights</source>
        <translation>注意力权重</translation>
    </message>
    <message>
        <source>Press “Train w” to learn w from these points: its attention weights appear here.</source>
        <translation>按“训练 w”从这些点学习 w：其注意力权重会显示在这里。</translation>
    </message>
    <message>
        <source>Parametric attention weights</source>
        <translation>带参数注意力权重</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>拟合</translation>
    </message>
    <message>
        <source>Press “Train w”: its loss appears here, live.</source>
        <translation>按“训练 w”：其损失会实时显示在这里。</translation>
    </message>
    <message>
        <source>Pooling (queries x, keys xᵢ, values yᵢ)</source>
        <translation>汇聚（查询 x，键 xᵢ，值 yᵢ）</translation>
    </message>
    <message>
        <source>Kernels</source>
        <translation>核函数</translation>
    </message>
    <message>
        <source>Parametric (w learned)</source>
        <translation>带参数（学习 w）</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>A narrow bandwidth (or a large w) sharpens the rows: each test point attends to its nearest keys.</source>
        <translation>带宽越窄（或 w 越大），各行越尖锐：每个测试点只关注离它最近的键。</translation>
    </message>
    <message>
        <source>Attention weights · {kernel}, h = {h:.3g}</source>
        <translation>注意力权重 · {kernel}，h = {h:.3g}</translation>
    </message>
    <message>
        <source>truth</source>
        <translation>真实值</translation>
    </message>
    <message>
        <source>samples</source>
        <translation>样本</translation>
    </message>
    <message>
        <source>Nadaraya–Watson</source>
        <translation>Nadaraya–Watson</translation>
    </message>
    <message>
        <source>parametric (w = {w:.3g})</source>
        <translation>带参数（w = {w:.3g}）</translation>
    </message>
    <message>
        <source>Fit against the truth</source>
        <translation>拟合结果与真实值对比</translation>
    </message>
    <message>
        <source>{n} training points · {m} test points</source>
        <translation>{n} 个训练点 · {m} 个测试点</translation>
    </message>
    <message>
        <source>test point x</source>
        <translation>测试点 x</translation>
    </message>
    <message>
        <source>training point xᵢ</source>
        <translation>训练点 xᵢ</translation>
    </message>
    <message>
        <source>training w</source>
        <translation>正在训练 w</translation>
    </message>
    <message>
        <source>Training loss · w = {w:.4g}</source>
        <translation>训练损失 · w = {w:.4g}</translation>
    </message>
    <message>
        <source>leave-one-out loss</source>
        <translation>留一法损失</translation>
    </message>
    <message>
        <source>Parametric attention weights · w = {w:.4g}</source>
        <translation>带参数注意力权重 · w = {w:.4g}</translation>
    </message>
    <message>
        <source>1 · Attention pooling</source>
        <translation>1 · 注意力汇聚</translation>
    </message>
    <message>
        <source>2 · Score functions</source>
        <translation>2 · 评分函数</translation>
    </message>
    <message>
        <source>3 · Positional encodings</source>
        <translation>3 · 位置编码</translation>
    </message>
    <message>
        <source>4 · BiLSTM + attention</source>
        <translation>4 · BiLSTM + 注意力</translation>
    </message>
    <message>
        <source>5 · Byte-pair encoding</source>
        <translation>5 · 字节对编码</translation>
    </message>
    <message>
        <source>F&amp;oundations</source>
        <translation>基础(&amp;O)</translation>
    </message>
    <message>
        <source>Export Foundations Figure…</source>
        <translation>导出基础图表…</translation>
    </message>
    <message>
        <source>Export the first figure of the page on screen (each figure has its own Export… button)</source>
        <translation>导出当前页面的第一张图表（每张图表都有自己的“导出…”按钮）</translation>
    </message>
    <message>
        <source>Nothing to export yet: the page has drawn no figure</source>
        <translation>尚无可导出的内容：本页还未绘制任何图表</translation>
    </message>
    <message>
        <source>step {step}: its run was not kept (memory); generate fewer tokens</source>
        <translation>第 {step} 步：其运行结果未保留（内存限制）；请生成更少的词元</translation>
    </message>
    <message>
        <source>step: {step} is not one of the {count} steps</source>
        <translation>步：{step} 不在这 {count} 步之中</translation>
    </message>
    <message>
        <source>step {step}: the attention is not a distribution (not finite)</source>
        <translation>第 {step} 步：注意力不是一个分布（含非有限值）</translation>
    </message>
    <message>
        <source>generated {done}/{total} tokens</source>
        <translation>已生成 {done}/{total} 个词元</translation>
    </message>
    <message>
        <source>Nothing to export yet: generate some tokens first</source>
        <translation>尚无可导出的内容：请先生成一些词元</translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation>生成(&amp;G)</translation>
    </message>
    <message>
        <source>Export Generation &amp;Row…</source>
        <translation>导出生成的注意力行(&amp;R)…</translation>
    </message>
    <message>
        <source>Export Generation Ma&amp;p…</source>
        <translation>导出生成的注意力图(&amp;P)…</translation>
    </message>
    <message>
        <source>No run yet: choose a model and type a text first</source>
        <translation>尚未运行：请先选择模型并输入文本</translation>
    </message>
    <message>
        <source>{model} is an encoder: only a causal language model writes text</source>
        <translation>{model} 是编码器：只有因果语言模型才能生成文本</translation>
    </message>
    <message>
        <source>generating…</source>
        <translation>正在生成…</translation>
    </message>
    <message>
        <source>stopped after {tokens}</source>
        <translation>生成 {tokens}后已停止</translation>
    </message>
    <message>
        <source>generating… {done}/{total}</source>
        <translation>正在生成… {done}/{total}</translation>
    </message>
    <message>
        <source>{where}: the new token&apos;s row</source>
        <translation>{where}：新词元所在的行</translation>
    </message>
    <message>
        <source>p = {p:.1%} at temperature {t:g}</source>
        <translation>温度 {t:g} 下 p = {p:.1%}</translation>
    </message>
    <message>
        <source>p = {p:.1%} (greedy: the model&apos;s own probability)</source>
        <translation>p = {p:.1%}（贪心：模型自身的概率）</translation>
    </message>
    <message>
        <source>step {step}: {token} · {chance}</source>
        <translation>第 {step} 步：{token} · {chance}</translation>
    </message>
    <message>
        <source>{tokens} written: {text}</source>
        <translation>已生成 {tokens}：{text}</translation>
    </message>
    <message>
        <source>Generate to see each new token&apos;s attention</source>
        <translation>生成后即可查看每个新词元的注意力</translation>
    </message>
    <message>
        <source>building the model…</source>
        <translation>正在构建模型…</translation>
    </message>
    <message>
        <source>resuming…</source>
        <translation>正在继续…</translation>
    </message>
    <message>
        <source>Choose settings and press Start.</source>
        <translation>请选择设置，然后按“开始”。</translation>
    </message>
    <message>
        <source>The model has done {steps} steps: raise Steps to train on.</source>
        <translation>模型已训练 {steps} 步：请调高“步数”以继续训练。</translation>
    </message>
    <message>
        <source>Training stopped</source>
        <translation>训练已停止</translation>
    </message>
    <message>
        <source>Paused so the explorer could use its model; press Resume to go on.</source>
        <translation>已暂停，以便探索器使用其模型；按“继续”即可接着训练。</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练中</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>No model</source>
        <translation>无模型</translation>
    </message>
    <message>
        <source>step {step}</source>
        <translation>第 {step} 步</translation>
    </message>
    <message>
        <source>loss {loss:.4f}</source>
        <translation>损失 {loss:.4f}</translation>
    </message>
    <message>
        <source>held-out accuracy {accuracy:.1%}</source>
        <translation>留出集准确率 {accuracy:.1%}</translation>
    </message>
    <message>
        <source>alignment {alignment:.2f} (best head)</source>
        <translation>对齐度 {alignment:.2f}（最佳头）</translation>
    </message>
    <message>
        <source>on 1 thread</source>
        <translation>单线程</translation>
    </message>
    <message>
        <source>on {threads} threads</source>
        <translation>{threads} 个线程</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>The form&apos;s settings are not the model&apos;s ({fields}): press Start to train them, Load… a model trained on them, or Use the model&apos;s settings.</source>
        <translation>表单的设置与模型不同（{fields}）：按“开始”用表单的设置训练，“加载…”用这些设置训练过的模型，或“使用模型的设置”。</translation>
    </message>
    <message>
        <source>Model: none yet. Start trains one from the form; Load… reads a saved one.</source>
        <translation>模型：尚无。“开始”按表单训练一个；“加载…”读取已保存的模型。</translation>
    </message>
    <message>
        <source>file {name}</source>
        <translation>文件 {name}</translation>
    </message>
    <message>
        <source>trained here, not saved</source>
        <translation>在此训练，未保存</translation>
    </message>
    <message>
        <source>Model: {system} on {task} · {where}</source>
        <translation>模型：{system}，任务 {task} · {where}</translation>
    </message>
    <message>
        <source>Seq2seq Lab</source>
        <translation>Seq2seq 实验室</translation>
    </message>
    <message>
        <source>The lab&apos;s model has {steps} steps of training that are not saved.</source>
        <translation>实验室的模型有 {steps} 步训练尚未保存。</translation>
    </message>
    <message>
        <source>Save it before closing? Discard loses the run.</source>
        <translation>关闭前保存吗？“放弃”将丢失这次训练。</translation>
    </message>
    <message>
        <source>Saving {path}…</source>
        <translation>正在保存 {path}…</translation>
    </message>
    <message>
        <source>Save lab model</source>
        <translation>保存实验室模型</translation>
    </message>
    <message>
        <source>safetensors (*.safetensors)</source>
        <translation>safetensors (*.safetensors)</translation>
    </message>
    <message>
        <source>Saved {path} and its JSON</source>
        <translation>已保存 {path} 及其 JSON</translation>
    </message>
    <message>
        <source>Could not save the model</source>
        <translation>无法保存模型</translation>
    </message>
    <message>
        <source>Load lab model</source>
        <translation>加载实验室模型</translation>
    </message>
    <message>
        <source>Loaded a model trained {steps} steps; translate an example to see its maps.</source>
        <translation>已加载训练了 {steps} 步的模型；翻译一个示例即可查看其注意力图。</translation>
    </message>
    <message>
        <source>Fix the settings first (see the form).</source>
        <translation>请先修正设置（见表单）。</translation>
    </message>
    <message>
        <source>Paused while the groupings train; press Resume to go on.</source>
        <translation>各分组训练期间已暂停；按“继续”即可接着训练。</translation>
    </message>
    <message>
        <source>Training the GPT under MHA, GQA and MQA ({steps} steps each)…</source>
        <translation>正在分别以 MHA、GQA 和 MQA 训练 GPT（各 {steps} 步）…</translation>
    </message>
    <message>
        <source> (its own)</source>
        <translation>（模型自身）</translation>
    </message>
    <message>
        <source>Press Train MHA, GQA and MQA to fill the lab&apos;s rows.</source>
        <translation>按“训练 MHA、GQA 和 MQA”以填充实验室的各行。</translation>
    </message>
    <message>
        <source>Lab rows: the tiny GPT trained with the form&apos;s settings, the groupings in turn, on one thread; time per step is the median of every step, with the middle half of the steps in brackets; KV cache in float32.</source>
        <translation>实验室各行：用表单设置训练的微型 GPT，各分组轮流训练，单线程；每步时间是所有步的中位数，括号内是中间一半的步的范围；KV 缓存按 float32 计。</translation>
    </message>
    <message>
        <source>Load a model in the explorer to see its KV cache here.</source>
        <translation>在探索器中加载模型，即可在此查看其 KV 缓存。</translation>
    </message>
    <message>
        <source>Model rows: its KV cache only (it was not trained here), at the chosen context.</source>
        <translation>模型行：仅显示其在所选上下文长度下的 KV 缓存（它并非在此训练）。</translation>
    </message>
    <message>
        <source>exporting</source>
        <translation>正在导出</translation>
    </message>
    <message>
        <source>Caption: system, task and training step</source>
        <translation>说明文字：系统、任务和训练步数</translation>
    </message>
    <message>
        <source>Export map</source>
        <translation>导出注意力图</translation>
    </message>
    <message>
        <source>exactly {n}</source>
        <translation>恰好 {n} 个</translation>
    </message>
    <message>
        <source>{low} to {high}</source>
        <translation>{low} 到 {high} 个</translation>
    </message>
    <message>
        <source>Outside what the model was trained on: it saw sources of {trained} symbols, this one has {n}; expect mistakes (train with a higher Difficulty for varied lengths).</source>
        <translation>超出模型的训练范围：它见过的源序列为{trained}符号，而这个有 {n} 个；可能出错（用更高的难度训练可得到不同长度）。</translation>
    </message>
    <message>
        <source>outside the training data</source>
        <translation>超出训练数据范围</translation>
    </message>
    <message>
        <source>mean of heads</source>
        <translation>各头平均</translation>
    </message>
    <message>
        <source>{kind} · layer {layer} · {head} · step {step}</source>
        <translation>{kind} · 第 {layer} 层 · {head} · 第 {step} 步</translation>
    </message>
    <message>
        <source>correct</source>
        <translation>正确</translation>
    </message>
    <message>
        <source>wrong; the answer is {target}</source>
        <translation>错误；正确答案是 {target}</translation>
    </message>
    <message>
        <source>your example</source>
        <translation>你的示例</translation>
    </message>
    <message>
        <source>held-out example</source>
        <translation>留出集示例</translation>
    </message>
    <message>
        <source>{where}: {source} → {output} ({verdict}) · outlined: the correct alignment</source>
        <translation>{where}：{source} → {output}（{verdict}）· 描边：正确的对齐</translation>
    </message>
    <message>
        <source>Pause or stop training first: the model is busy learning.</source>
        <translation>请先暂停或停止训练：模型正在学习。</translation>
    </message>
    <message>
        <source>float32 (4 bytes)</source>
        <translation>float32（4 字节）</translation>
    </message>
    <message>
        <source>float16 / bfloat16 (2 bytes)</source>
        <translation>float16 / bfloat16（2 字节）</translation>
    </message>
    <message>
        <source>int8 (1 byte)</source>
        <translation>int8（1 字节）</translation>
    </message>
    <message>
        <source>Source text</source>
        <translation>源文本</translation>
    </message>
    <message>
        <source>Type a source, e.g. &apos;a b c d&apos;, or pick a held-out example</source>
        <translation>输入源序列，例如“a b c d”，或选择一个留出集示例</translation>
    </message>
    <message>
        <source>Translate</source>
        <translation>翻译</translation>
    </message>
    <message>
        <source>Run the model on this source; its maps replace the training snapshot</source>
        <translation>在此源序列上运行模型；其注意力图将替换训练快照</translation>
    </message>
    <message>
        <source>Held-out examples</source>
        <translation>留出集示例</translation>
    </message>
    <message>
        <source>Fill the list with examples the model never trained on</source>
        <translation>用模型从未训练过的示例填充列表</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>源</translation>
    </message>
    <message>
        <source>Train or load a model, then type or pick a source.</source>
        <translation>请训练或加载模型，然后输入或选择源序列。</translation>
    </message>
    <message>
        <source>The model&apos;s output</source>
        <translation>模型的输出</translation>
    </message>
    <message>
        <source>Train MHA, GQA and MQA</source>
        <translation>训练 MHA、GQA 和 MQA</translation>
    </message>
    <message>
        <source>Train the tiny GPT on the chosen task once per grouping (same seed and size) and compare them</source>
        <translation>对每种分组在所选任务上各训练一次微型 GPT（相同种子和规模），并加以比较</translation>
    </message>
    <message>
        <source>Context length</source>
        <translation>上下文长度</translation>
    </message>
    <message>
        <source>Cache value type</source>
        <translation>缓存数值类型</translation>
    </message>
    <message>
        <source>Loaded model at context</source>
        <translation>已加载模型的上下文长度</translation>
    </message>
    <message>
        <source>&amp;Seq2seq Lab</source>
        <translation>Seq2seq 实验室(&amp;S)</translation>
    </message>
    <message>
        <source>Loading the lab…</source>
        <translation>正在加载实验室…</translation>
    </message>
    <message>
        <source>row: holds values that are not finite; it is not shown</source>
        <translation>行：包含非有限值；不予显示</translation>
    </message>
    <message>
        <source>row: its weights sum to {total:.6f}, not 1; it is not shown</source>
        <translation>行：权重之和为 {total:.6f}，而不是 1；不予显示</translation>
    </message>
    <message>
        <source>attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <source>attention row</source>
        <translation>注意力行</translation>
    </message>
    <message>
        <source>k {key} &quot;{token}&quot;: hidden by the mask</source>
        <translation>键 {key} “{token}”：被掩码隐藏</translation>
    </message>
    <message>
        <source>Grouping</source>
        <translation>分组</translation>
    </message>
    <message>
        <source>Held-out accuracy</source>
        <translation>留出集准确率</translation>
    </message>
    <message>
        <source>Time per step</source>
        <translation>每步耗时</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <source>KV cache per token</source>
        <translation>每词元 KV 缓存</translation>
    </message>
    <message>
        <source>Grouping costs</source>
        <translation>分组开销</translation>
    </message>
    <message>
        <source>The median time of one training step; in brackets the middle half of the steps (25th to 75th percentile), in ms</source>
        <translation>一个训练步的中位时间；括号内是中间一半的步（第 25 到第 75 百分位），单位 ms</translation>
    </message>
    <message>
        <source>({total} at {context} tokens)</source>
        <translation>（{context} 个词元时为 {total}）</translation>
    </message>
    <message>
        <source>B − A (attention)</source>
        <translation>B − A（注意力）</translation>
    </message>
    <message>
        <source>flow: holds values that are not finite or not within 0..1; it is not shown</source>
        <translation>注意力流：包含非有限值或超出 0..1 范围的值；不予显示</translation>
    </message>
    <message>
        <source>max flow</source>
        <translation>最大流</translation>
    </message>
    <message>
        <source>flow into {query} &quot;{token}&quot;</source>
        <translation>流入 {query} “{token}”</translation>
    </message>
    <message>
        <source>{position} &quot;{token}&quot;: masked</source>
        <translation>{position} “{token}”：已掩码</translation>
    </message>
    <message>
        <source>{row_label} {row}, {column_label} {column}: {value}</source>
        <translation>{row_label} {row}，{column_label} {column}：{value}</translation>
    </message>
    <message>
        <source>Problem with the settings</source>
        <translation>设置有误</translation>
    </message>
    <message>
        <source>Snapshot step</source>
        <translation>快照步</translation>
    </message>
    <message>
        <source>Scrub back through the attention snapshots taken during training</source>
        <translation>回溯浏览训练期间保存的注意力快照</translation>
    </message>
    <message>
        <source>no snapshot yet</source>
        <translation>尚无快照</translation>
    </message>
    <message>
        <source>Kind of attention</source>
        <translation>注意力类型</translation>
    </message>
    <message>
        <source>Mean of heads</source>
        <translation>各头平均</translation>
    </message>
    <message>
        <source>Heads:</source>
        <translation>头：</translation>
    </message>
    <message>
        <source>Head {head}: click to add or remove its lines, double-click to show it alone</source>
        <translation>头 {head}：单击添加或移除它的连线，双击只显示它</translation>
    </message>
    <message>
        <source>Head {head}</source>
        <translation>头 {head}</translation>
    </message>
    <message>
        <source>step {step} · snapshot {number} of {count}</source>
        <translation>第 {step} 步 · 第 {number} 个快照，共 {count} 个</translation>
    </message>
    <message>
        <source>held-out</source>
        <translation>留出集</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>alignment (best head)</source>
        <translation>对齐度（最佳头）</translation>
    </message>
    <message>
        <source>Save this figure (PNG, SVG, PDF) or its numbers (NPY, CSV, JSON)</source>
        <translation>保存此图表（PNG、SVG、PDF）或其数据（NPY、CSV、JSON）</translation>
    </message>
    <message>
        <source>Each thumbnail: attention of sampled query rows, each row scaled to its maximum; grey: masked</source>
        <translation>每个缩略图：抽样查询行的注意力，每行按其最大值缩放；灰色：被掩码遮蔽</translation>
    </message>
    <message>
        <source>The views are out of date</source>
        <translation>视图已过期</translation>
    </message>
    <message>
        <source>⚠ The text is empty: the views below are of the last text that was run, greyed.</source>
        <translation>⚠ 文本为空：下方视图（灰显）是上一次运行的文本的结果。</translation>
    </message>
    <message>
        <source>⚠ Out of date: the views below are of the last run, not of the current text. F5 runs it.</source>
        <translation>⚠ 已过期：下方视图是上一次运行的结果，不是当前文本的。按 F5 重新运行。</translation>
    </message>
    <message>
        <source>neuron view: layer {layer} head {head}</source>
        <translation>神经元视图：层 {layer} 头 {head}</translation>
    </message>
    <message>
        <source>query–key scatter: {method}</source>
        <translation>查询–键散点图：{method}</translation>
    </message>
    <message>
        <source>query–key scatter: {method}, {seconds} s</source>
        <translation>查询–键散点图：{method}，{seconds} 秒</translation>
    </message>
    <message>
        <source>{points} of {vectors} vectors from {texts} texts</source>
        <translation>{texts} 篇文本的 {vectors} 个向量中抽取 {points} 个</translation>
    </message>
    <message>
        <source>reading {path}</source>
        <translation>正在读取 {path}</translation>
    </message>
    <message>
        <source>pooling over the corpus: text {done} of {total}</source>
        <translation>正在汇集语料库：第 {done} 篇，共 {total} 篇</translation>
    </message>
    <message>
        <source>Nothing to export yet: open the scatter and wait for it</source>
        <translation>还没有可导出的内容：请打开散点图并等待它完成</translation>
    </message>
    <message>
        <source>&amp;Query–Key</source>
        <translation>查询–键(&amp;Q)</translation>
    </message>
    <message>
        <source>Export Query–Key &amp;Scatter…</source>
        <translation>导出查询–键散点图(&amp;S)…</translation>
    </message>
    <message>
        <source>Export the query–key scatter as PNG, SVG or PDF, or every point as JSON</source>
        <translation>将查询–键散点图导出为 PNG、SVG 或 PDF，或将每个点导出为 JSON</translation>
    </message>
    <message>
        <source>A pooled point is from a corpus text; Maps shows the current text</source>
        <translation>汇集的点来自语料库中的文本；注意力图显示的是当前文本</translation>
    </message>
    <message>
        <source>pooling over {name} with {method}…</source>
        <translation>正在用 {method} 汇集 {name}…</translation>
    </message>
    <message>
        <source>projecting with {method}…</source>
        <translation>正在用 {method} 投影…</translation>
    </message>
    <message>
        <source>layer {layer} · head {head} (KV head {kv}) · query {query} &quot;{token}&quot;</source>
        <translation>层 {layer} · 头 {head}（KV 头 {kv}）· 查询 {query}“{token}”</translation>
    </message>
    <message>
        <source>layer {layer} · head {head} · queries and keys</source>
        <translation>层 {layer} · 头 {head} · 查询与键</translation>
    </message>
    <message>
        <source>{sample} of {name}, {method}; hover a point for its text, position and token</source>
        <translation>{name}：{sample}，{method}；鼠标悬停在点上可查看其文本、位置和词元</translation>
    </message>
    <message>
        <source>{n} queries and {n} keys, {method}; click a point to outline it in Maps</source>
        <translation>{n} 个查询和 {n} 个键，{method}；点击一个点可在注意力图中勾出它</translation>
    </message>
    <message>
        <source>Cancelled; the scatter shows what it showed before</source>
        <translation>已取消；散点图仍显示之前的内容</translation>
    </message>
    <message>
        <source>preparing the clean and corrupted runs</source>
        <translation>正在准备干净文本与损坏文本的运行</translation>
    </message>
    <message>
        <source>patching: {done}/{total}</source>
        <translation>修补：{done}/{total}</translation>
    </message>
    <message>
        <source>attribution patching: one forward and one backward pass</source>
        <translation>归因修补：一次前向与一次反向传播</translation>
    </message>
    <message>
        <source>attribution: {method}</source>
        <translation>归因：{method}</translation>
    </message>
    <message>
        <source>attention × gradient of layer {layer}</source>
        <translation>第 {layer} 层的注意力 × 梯度</translation>
    </message>
    <message>
        <source>residual stream (resid_pre)</source>
        <translation>残差流（resid_pre）</translation>
    </message>
    <message>
        <source>each head&apos;s output (z)</source>
        <translation>每个头的输出（z）</translation>
    </message>
    <message>
        <source>each head&apos;s output at one position</source>
        <translation>每个头在单个位置的输出</translation>
    </message>
    <message>
        <source>each head&apos;s pattern</source>
        <translation>每个头的注意力模式</translation>
    </message>
    <message>
        <source>attention output</source>
        <translation>注意力输出</translation>
    </message>
    <message>
        <source>MLP output</source>
        <translation>MLP 输出</translation>
    </message>
    <message>
        <source>approximate</source>
        <translation>近似</translation>
    </message>
    <message>
        <source>exact</source>
        <translation>精确</translation>
    </message>
    <message>
        <source>restored fraction ({method})</source>
        <translation>恢复比例（{method}）</translation>
    </message>
    <message>
        <source>denoising: clean into corrupted</source>
        <translation>去噪：把干净激活放入损坏运行</translation>
    </message>
    <message>
        <source>noising: corrupted into clean</source>
        <translation>加噪：把损坏激活放入干净运行</translation>
    </message>
    <message>
        <source>position (clean token)</source>
        <translation>位置（干净文本的词元）</translation>
    </message>
    <message>
        <source>position {i} {token}</source>
        <translation>位置 {i} {token}</translation>
    </message>
    <message>
        <source>agreement: no patch has a finite exact and approximate value</source>
        <translation>一致性：没有任何修补同时具有有限的精确值与近似值</translation>
    </message>
    <message>
        <source>attribution patching against the exact sweep</source>
        <translation>归因修补与精确扫描的对比</translation>
    </message>
    <message>
        <source>exact restored fraction</source>
        <translation>精确恢复比例</translation>
    </message>
    <message>
        <source>approximate restored fraction</source>
        <translation>近似恢复比例</translation>
    </message>
    <message>
        <source>patches</source>
        <translation>修补</translation>
    </message>
    <message>
        <source>attribution of {target!r} to each token</source>
        <translation>{target!r} 在各词元上的归因</translation>
    </message>
    <message>
        <source>method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>score / the row&apos;s largest |score|</source>
        <translation>分数 / 该行最大的 |分数|</translation>
    </message>
    <message>
        <source>Start from a classic clean / corrupted pair</source>
        <translation>从经典的干净 / 损坏文本对开始</translation>
    </message>
    <message>
        <source>The clean text: the model predicts the answer after it</source>
        <translation>干净文本：模型在其后预测答案</translation>
    </message>
    <message>
        <source>Clean text</source>
        <translation>干净文本</translation>
    </message>
    <message>
        <source>The corrupted text: as many tokens as the clean one, a detail changed</source>
        <translation>损坏文本：词元数与干净文本相同，改动了一个细节</translation>
    </message>
    <message>
        <source>Corrupted text</source>
        <translation>损坏文本</translation>
    </message>
    <message>
        <source>The answer the clean text predicts (one token; the list: the clean run&apos;s top predictions)</source>
        <translation>干净文本预测的答案（一个词元；列表：干净运行的最高预测）</translation>
    </message>
    <message>
        <source>The wrong answer the corrupted text leans to (one token), for the logit difference</source>
        <translation>损坏文本倾向的错误答案（一个词元），用于 logit 差</translation>
    </message>
    <message>
        <source>logit difference</source>
        <translation>logit 差</translation>
    </message>
    <message>
        <source>probability of the answer</source>
        <translation>答案的概率</translation>
    </message>
    <message>
        <source>What is restored: logit(answer) − logit(wrong), or p(answer)</source>
        <translation>要恢复的量：logit(答案) − logit(错误答案)，或 p(答案)</translation>
    </message>
    <message>
        <source>Which activations are patched, one at a time</source>
        <translation>逐一修补哪些激活</translation>
    </message>
    <message>
        <source>denoise (clean → corrupted run)</source>
        <translation>去噪（干净 → 损坏运行）</translation>
    </message>
    <message>
        <source>noise (corrupted → clean run)</source>
        <translation>加噪（损坏 → 干净运行）</translation>
    </message>
    <message>
        <source>Denoising puts a clean activation into the corrupted run; noising the reverse</source>
        <translation>去噪把干净激活放入损坏运行；加噪则相反</translation>
    </message>
    <message>
        <source>approximate (attribution patching)</source>
        <translation>近似（归因修补）</translation>
    </message>
    <message>
        <source>both, with their agreement</source>
        <translation>两者，并比较一致性</translation>
    </message>
    <message>
        <source>Exact: one patched run per cell. Approximate: one forward and one backward pass (Nanda 2023)</source>
        <translation>精确：每个单元一次修补运行。近似：一次前向与一次反向传播（Nanda 2023）</translation>
    </message>
    <message>
        <source>Run sweep</source>
        <translation>运行扫描</translation>
    </message>
    <message>
        <source>Patch every cell of the sweep and measure the restored fraction</source>
        <translation>修补扫描的每个单元并测量恢复比例</translation>
    </message>
    <message>
        <source>Stop the sweep</source>
        <translation>停止扫描</translation>
    </message>
    <message>
        <source>Patching status</source>
        <translation>修补状态</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>模板</translation>
    </message>
    <message>
        <source>Clean</source>
        <translation>干净</translation>
    </message>
    <message>
        <source>Corrupted</source>
        <translation>损坏</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>答案</translation>
    </message>
    <message>
        <source>Wrong</source>
        <translation>错误答案</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Patch</source>
        <translation>修补</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>方向</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>heads_by_position: the position whose heads the atlas shows</source>
        <translation>heads_by_position：图谱显示其各头的位置</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>The Heads tool&apos;s score shown beside the sweep, for the clean text</source>
        <translation>在扫描旁显示的“头”工具分数（干净文本）</translation>
    </message>
    <message>
        <source>Click a head to open its map in Maps (the clean and corrupted texts)</source>
        <translation>点击一个头，在“注意力图”中打开它的图（干净与损坏文本）</translation>
    </message>
    <message>
        <source>The Heads tool&apos;s atlas of the clean text; click a head to open it in Maps</source>
        <translation>干净文本的“头”工具图谱；点击一个头在“注意力图”中打开</translation>
    </message>
    <message>
        <source>Causal effect: restored fraction per head</source>
        <translation>因果效应：每个头的恢复比例</translation>
    </message>
    <message>
        <source>Heads atlas: attention score per head</source>
        <translation>头图谱：每个头的注意力分数</translation>
    </message>
    <message>
        <source>restored</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>score</source>
        <translation>分数</translation>
    </message>
    <message>
        <source>The heads whose patch restores most (by |restored|); click one to open it in Maps</source>
        <translation>修补后恢复最多的头（按 |恢复|）；点击一个在“注意力图”中打开</translation>
    </message>
    <message>
        <source>Top heads</source>
        <translation>最重要的头</translation>
    </message>
    <message>
        <source>Beside it</source>
        <translation>旁边显示</translation>
    </message>
    <message>
        <source>Run a sweep with Method “both” to compare attribution patching with the exact one</source>
        <translation>以方法“两者”运行扫描，比较归因修补与精确修补</translation>
    </message>
    <message>
        <source>Approximate against exact</source>
        <translation>近似与精确对比</translation>
    </message>
    <message>
        <source>index</source>
        <translation>索引</translation>
    </message>
    <message>
        <source>Where the approximation and the exact sweep disagree most</source>
        <translation>近似与精确扫描分歧最大之处</translation>
    </message>
    <message>
        <source>Where they disagree most</source>
        <translation>分歧最大之处</translation>
    </message>
    <message>
        <source>The layer of the head whose attention is shown beside the attributions</source>
        <translation>在归因旁显示其注意力的头所在的层</translation>
    </message>
    <message>
        <source>The head whose attention (from the last token) is shown beside the attributions</source>
        <translation>在归因旁显示其注意力（来自最后一个词元）的头</translation>
    </message>
    <message>
        <source>Integrated gradients&apos; steps from the baseline (zeros) to the text&apos;s embeddings</source>
        <translation>积分梯度从基线（零）到文本嵌入的步数</translation>
    </message>
    <message>
        <source>Attribute</source>
        <translation>归因</translation>
    </message>
    <message>
        <source>Attribute the answer&apos;s log-probability to the clean text&apos;s tokens</source>
        <translation>把答案的对数概率归因到干净文本的各词元</translation>
    </message>
    <message>
        <source>Tokens coloured by each method, and the head&apos;s attention</source>
        <translation>按各方法着色的词元，以及该头的注意力</translation>
    </message>
    <message>
        <source>IG steps</source>
        <translation>积分梯度步数</translation>
    </message>
    <message>
        <source>Restored fraction per layer and position</source>
        <translation>每层每位置的恢复比例</translation>
    </message>
    <message>
        <source>Sweep</source>
        <translation>扫描</translation>
    </message>
    <message>
        <source>Agreement</source>
        <translation>一致性</translation>
    </message>
    <message>
        <source>Attribution</source>
        <translation>归因</translation>
    </message>
    <message>
        <source>Press Run sweep: each cell shows the fraction of the clean metric that patching it restores</source>
        <translation>按“运行扫描”：每个单元显示修补它能恢复的干净指标比例</translation>
    </message>
    <message>
        <source>The Heads atlas of the clean text appears once the two texts have run</source>
        <translation>两段文本运行后，这里显示干净文本的头图谱</translation>
    </message>
    <message>
        <source>Press Attribute: the clean text&apos;s tokens coloured by integrated gradients, input × gradient and gradient norm, beside the chosen head&apos;s attention from the last token</source>
        <translation>按“归因”：干净文本的词元按积分梯度、输入 × 梯度与梯度范数着色，旁边是所选头从最后一个词元出发的注意力</translation>
    </message>
    <message>
        <source>Indirect object (IOI): Mary and John</source>
        <translation>间接宾语（IOI）：Mary 与 John</translation>
    </message>
    <message>
        <source>Factual recall: a landmark&apos;s city</source>
        <translation>事实回忆：地标所在的城市</translation>
    </message>
    <message>
        <source>Chinese: a word&apos;s partner seen earlier</source>
        <translation>中文：前文出现过的词的搭档</translation>
    </message>
    <message>
        <source>&amp;Patching</source>
        <translation>修补(&amp;P)</translation>
    </message>
    <message>
        <source>Export &amp;Patching Figure…</source>
        <translation>导出修补图(&amp;P)…</translation>
    </message>
    <message>
        <source>Export the Patching tool&apos;s figure on screen (PNG, SVG, PDF) or its data</source>
        <translation>导出“修补”工具当前显示的图（PNG、SVG、PDF）或其数据</translation>
    </message>
    <message>
        <source>Run Patching &amp;Sweep</source>
        <translation>运行修补扫描(&amp;S)</translation>
    </message>
    <message>
        <source>your own texts</source>
        <translation>自己的文本</translation>
    </message>
    <message>
        <source>Press Run sweep (or edit a text) to make these two texts the workspace&apos;s sequences 1 and 2</source>
        <translation>按“运行扫描”（或编辑文本），使这两段文本成为工作区的序列 1 和 2</translation>
    </message>
    <message>
        <source>Both texts are needed: a clean and a corrupted one</source>
        <translation>需要两段文本：一段干净、一段损坏</translation>
    </message>
    <message>
        <source>running both texts…</source>
        <translation>正在运行两段文本…</translation>
    </message>
    <message>
        <source>No model is loaded yet; choose one in the Model list</source>
        <translation>尚未加载模型；请在模型列表中选择一个</translation>
    </message>
    <message>
        <source>patching…</source>
        <translation>正在修补…</translation>
    </message>
    <message>
        <source>attributing…</source>
        <translation>正在归因…</translation>
    </message>
    <message>
        <source>The sweep was stopped: the texts changed</source>
        <translation>扫描已停止：文本已更改</translation>
    </message>
    <message>
        <source>Maps shows layer {layer} head {head} on the clean text; pick sequence 2 above the map for the corrupted one</source>
        <translation>“注意力图”显示干净文本上第 {layer} 层头 {head}；在图上方选择序列 2 查看损坏文本</translation>
    </message>
    <message>
        <source>Line threshold</source>
        <translation>连线阈值</translation>
    </message>
    <message>
        <source>Only pairs whose weight is at least this are drawn as lines</source>
        <translation>只有权重不低于此值的词元对才画成连线</translation>
    </message>
    <message>
        <source>Lines drawn</source>
        <translation>已画的连线</translation>
    </message>
    <message>
        <source>Threshold:</source>
        <translation>阈值：</translation>
    </message>
    <message>
        <source>{n} tokens: lines below {floor} are never drawn (a head then draws at most {most} lines)</source>
        <translation>{n} 个词元：低于 {floor} 的连线从不绘制（因此一个头最多画 {most} 条连线）</translation>
    </message>
    <message>
        <source>{drawn} of {total} lines ≥ {threshold}</source>
        <translation>{drawn} / {total} 条连线 ≥ {threshold}</translation>
    </message>
    <message>
        <source>all {total} lines</source>
        <translation>全部 {total} 条连线</translation>
    </message>
    <message>
        <source>{side} {index} &quot;{token}&quot;: {count} lines</source>
        <translation>{side} {index} “{token}”：{count} 条连线</translation>
    </message>
    <message>
        <source>; strongest → {other} &quot;{token}&quot; {weight} (head {head})</source>
        <translation>；最强 → {other} “{token}” {weight}（头 {head}）</translation>
    </message>
    <message>
        <source>neuron view: some values are not finite; they are not shown</source>
        <translation>神经元视图：部分数值不是有限数，因此不予显示</translation>
    </message>
    <message>
        <source>neuron view: the probabilities sum to {total}, not 1; they are not shown</source>
        <translation>神经元视图：概率之和为 {total} 而不是 1，因此不予显示</translation>
    </message>
    <message>
        <source>key {key} &quot;{token}&quot; · dim {dim}: q = {q:.4f}, k = {k:.4f}, q·k term = {term:.4f}</source>
        <translation>键 {key}“{token}”· 维 {dim}：q = {q:.4f}，k = {k:.4f}，q·k 项 = {term:.4f}</translation>
    </message>
    <message>
        <source>key {key} &quot;{token}&quot;: masked</source>
        <translation>键 {key}“{token}”：已掩码</translation>
    </message>
    <message>
        <source>key {key} &quot;{token}&quot;: q·k = {dot:.4f}, ×{scale:.4g} = {scaled:.4f}, + bias {bias:.4f} = score {score:.4f}, softmax {p:.4f}</source>
        <translation>键 {key}“{token}”：q·k = {dot:.4f}，×{scale:.4g} = {scaled:.4f}，+ 偏置 {bias:.4f} = 分数 {score:.4f}，softmax {p:.4f}</translation>
    </message>
    <message>
        <source>k (each key)</source>
        <translation>k（每个键）</translation>
    </message>
    <message>
        <source>q ∘ k</source>
        <translation>q ∘ k</translation>
    </message>
    <message>
        <source>q·k</source>
        <translation>q·k</translation>
    </message>
    <message>
        <source>× scale</source>
        <translation>× 缩放</translation>
    </message>
    <message>
        <source>+ bias</source>
        <translation>+ 偏置</translation>
    </message>
    <message>
        <source>= score</source>
        <translation>= 分数</translation>
    </message>
    <message>
        <source>softmax</source>
        <translation>softmax</translation>
    </message>
    <message>
        <source>query {query} &quot;{token}&quot;</source>
        <translation>查询 {query}“{token}”</translation>
    </message>
    <message>
        <source>q</source>
        <translation>q</translation>
    </message>
    <message>
        <source>scale = {scale:.4g}</source>
        <translation>缩放 = {scale:.4g}</translation>
    </message>
    <message>
        <source>coords: some coordinates are not finite; the projection is not shown</source>
        <translation>坐标：部分坐标不是有限数，因此不显示该投影</translation>
    </message>
    <message>
        <source>text {id}: {point}</source>
        <translation>文本 {id}：{point}</translation>
    </message>
    <message>
        <source>block maximum</source>
        <translation>块内最大值</translation>
    </message>
    <message>
        <source>block mean</source>
        <translation>块内平均值</translation>
    </message>
    <message>
        <source>q {r0}–{r1} → k {c0}–{c1}: {what} {value} ({rows} × {cols} cells)</source>
        <translation>查询 {r0}–{r1} → 键 {c0}–{c1}：{what} {value}（{rows} × {cols} 个单元格）</translation>
    </message>
    <message>
        <source>maximum of each block</source>
        <translation>每块的最大值</translation>
    </message>
    <message>
        <source>mean of each block</source>
        <translation>每块的平均值</translation>
    </message>
    <message>
        <source>clean</source>
        <translation>干净</translation>
    </message>
    <message>
        <source>corrupted</source>
        <translation>损坏</translation>
    </message>
    <message>
        <source>Clean and corrupted tokens</source>
        <translation>干净与损坏文本的词元</translation>
    </message>
    <message>
        <source>The two texts token by token; highlighted: the positions where they differ</source>
        <translation>逐词元对照两段文本；高亮处为不同的位置</translation>
    </message>
    <message>
        <source>position {i}: this text has no token here</source>
        <translation>位置 {i}：这段文本在此没有词元</translation>
    </message>
    <message>
        <source>position {i}: {token!r} — the texts differ here</source>
        <translation>位置 {i}：{token!r} — 两段文本在此不同</translation>
    </message>
    <message>
        <source>position {i}: {token!r}</source>
        <translation>位置 {i}：{token!r}</translation>
    </message>
    <message>
        <source>Tokens coloured by attribution</source>
        <translation>按归因着色的词元</translation>
    </message>
    <message>
        <source>{method} · position {i} {token!r}: {value}</source>
        <translation>{method} · 位置 {i} {token!r}：{value}</translation>
    </message>
    <message>
        <source>local, window {window}</source>
        <translation>局部，窗口 {window}</translation>
    </message>
    <message>
        <source>global</source>
        <translation>全局</translation>
    </message>
    <message>
        <source>L</source>
        <comment>local layer</comment>
        <translation>局</translation>
    </message>
    <message>
        <source>G</source>
        <comment>global layer</comment>
        <translation>全</translation>
    </message>
    <message>
        <source>L: a local layer (it sees a sliding window of recent tokens); G: a global layer (it sees them all)</source>
        <translation>局：局部层（只看到最近词元的滑动窗口）；全：全局层（看到所有词元）</translation>
    </message>
    <message>
        <source>Each layer keeps its own mask: local layers see a sliding window, global layers every earlier token. Choose Causal to make every layer global, or tick Window to give every layer the same window.</source>
        <translation>每层保持自己的掩码：局部层看到滑动窗口，全局层看到之前的每个词元。选择“因果”使所有层都成为全局层，或勾选“窗口”让所有层使用同一个窗口。</translation>
    </message>
    <message>
        <source>Corp&amp;us</source>
        <translation>语料库(&amp;U)</translation>
    </message>
    <message>
        <source>Export the atlas of the score&apos;s corpus means as PNG, SVG or PDF, or every head&apos;s mean and 95 % interval as CSV/JSON</source>
        <translation>将该分数的语料库平均值图谱导出为 PNG、SVG 或 PDF，或将每个头的平均值和 95 % 区间导出为 CSV/JSON</translation>
    </message>
    <message>
        <source>Export the chosen head&apos;s top examples, with their texts, as CSV/JSON</source>
        <translation>将所选头的最高示例连同其文本导出为 CSV/JSON</translation>
    </message>
    <message>
        <source>Open Corpus</source>
        <translation>打开语料库</translation>
    </message>
    <message>
        <source>Corpora (*.jsonl *.txt *.parquet)</source>
        <translation>语料库 (*.jsonl *.txt *.parquet)</translation>
    </message>
    <message>
        <source>Open Results</source>
        <translation>打开结果</translation>
    </message>
    <message>
        <source>Corpus: {path}</source>
        <translation>语料库：{path}</translation>
    </message>
    <message>
        <source>Corpus: {path} ({texts} texts)</source>
        <translation>语料库：{path}（{texts} 个文本）</translation>
    </message>
    <message>
        <source>Press Run to score every head over it</source>
        <translation>按“运行”为其上的每个头评分</translation>
    </message>
    <message>
        <source>Open a corpus, and load a model, first</source>
        <translation>请先打开语料库并加载模型</translation>
    </message>
    <message>
        <source>Scoring every head over the corpus… (Cancel keeps what is scored; Run resumes)</source>
        <translation>正在语料库上为每个头评分…（取消会保留已评分的部分；再次运行会从中继续）</translation>
    </message>
    <message>
        <source>Stopped. The texts scored so far are kept: Run resumes from them</source>
        <translation>已停止。已评分的文本已保留：再次运行会从中继续</translation>
    </message>
    <message>
        <source>{n} warnings, the first: {first}</source>
        <translation>{n} 条警告，第一条：{first}</translation>
    </message>
    <message>
        <source>L{layer}H{head}: no text of the corpus defines this score</source>
        <translation>L{layer}H{head}：语料库中没有文本定义此分数</translation>
    </message>
    <message>
        <source>L{layer}H{head} over the corpus: mean {mean:.4g} (one text: no interval)</source>
        <translation>L{layer}H{head} 在语料库上：平均值 {mean:.4g}（仅一个文本：无区间）</translation>
    </message>
    <message>
        <source>on the current text: n/a (no query of it counts for this score)</source>
        <translation>在当前文本上：不适用（其中没有查询计入此分数）</translation>
    </message>
    <message>
        <source>The corpus file of these results is not where the job read it</source>
        <translation>这些结果的语料库文件已不在任务读取它的位置</translation>
    </message>
    <message>
        <source>Export Corp&amp;us Atlas…</source>
        <translation>导出语料库图谱(&amp;U)…</translation>
    </message>
    <message>
        <source>Export &amp;Top Examples…</source>
        <translation>导出最高示例(&amp;T)…</translation>
    </message>
    <message>
        <source>These results are of {model}; load it to open an example</source>
        <translation>这些结果来自 {model}；请先加载它再打开示例</translation>
    </message>
    <message>
        <source>{folder}: {texts} texts, {tokens} tokens, {model}</source>
        <translation>{folder}：{texts} 条文本，{tokens} 个词元，{model}</translation>
    </message>
    <message>
        <source>Click a head to list the texts that make it fire</source>
        <translation>点击一个头，列出最能激活它的文本</translation>
    </message>
    <message>
        <source>mean {score}</source>
        <translation>{score} 的平均值</translation>
    </message>
    <message>
        <source>L{layer}H{head} over the corpus: mean {mean:.4g}, 95 % CI [{low:.4g}, {high:.4g}]</source>
        <translation>L{layer}H{head} 在语料库上：平均值 {mean:.4g}，95% 置信区间 [{low:.4g}, {high:.4g}]</translation>
    </message>
    <message>
        <source>on the current text: {value:.4g}</source>
        <translation>在当前文本上：{value:.4g}</translation>
    </message>
    <message>
        <source>95 % CI [{low:.4g}, {high:.4g}] over {n} texts</source>
        <translation>95% 置信区间 [{low:.4g}, {high:.4g}]，共 {n} 条文本</translation>
    </message>
    <message>
        <source>Open Corpus…</source>
        <translation>打开语料库…</translation>
    </message>
    <message>
        <source>A .txt (a text per line), .jsonl or .parquet corpus to analyse</source>
        <translation>要分析的 .txt（每行一条文本）、.jsonl 或 .parquet 语料库</translation>
    </message>
    <message>
        <source>Open Results…</source>
        <translation>打开结果…</translation>
    </message>
    <message>
        <source>A folder that `analyze corpus` or this tool wrote</source>
        <translation>由 `analyze corpus` 或本工具写出的文件夹</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Score every head over the corpus with the current model (resumes a stopped run)</source>
        <translation>用当前模型在语料库上为每个头打分（会从中断处继续）</translation>
    </message>
    <message>
        <source>No corpus open</source>
        <translation>未打开语料库</translation>
    </message>
    <message>
        <source>Click a head to list the texts where it does this most</source>
        <translation>点击一个头，列出它在哪些文本上最明显</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>beginning</source>
        <translation>开头</translation>
    </message>
    <message>
        <source>The example&apos;s rank: the texts where the head scores highest come first</source>
        <translation>示例的排名：该头得分最高的文本排在前面</translation>
    </message>
    <message>
        <source>The text&apos;s id in the corpus</source>
        <translation>文本在语料库中的 id</translation>
    </message>
    <message>
        <source>The head&apos;s score on this text alone: its mean over the text&apos;s queries, as on the current text</source>
        <translation>该头仅在此文本上的分数：对文本各查询的平均值，与当前文本上的相同</translation>
    </message>
    <message>
        <source>The query where the head does this most (position from the text&apos;s first token, and its token): outlined in Maps when the example is opened</source>
        <translation>该头在此最明显的查询（从文本第一个词元起的位置及其词元）：打开示例时在“注意力图”中勾出</translation>
    </message>
    <message>
        <source>The text&apos;s beginning</source>
        <translation>文本的开头</translation>
    </message>
    <message>
        <source>Click an example to open its text in Maps at this head, its query outlined</source>
        <translation>点击一个示例，在“注意力图”中以此头打开其文本，并框出其查询行</translation>
    </message>
    <message>
        <source>Pool over a corpus</source>
        <translation>汇集语料库</translation>
    </message>
    <message>
        <source>no corpus chosen yet</source>
        <translation>尚未选择语料库</translation>
    </message>
    <message>
        <source>pooled over {name}</source>
        <translation>已汇集 {name}</translation>
    </message>
    <message>
        <source>last corpus: {name}</source>
        <translation>上次的语料库：{name}</translation>
    </message>
    <message>
        <source>from {low} to {high}</source>
        <translation>范围 {low} 到 {high}</translation>
    </message>
    <message>
        <source>{name}: {typed} is out of range ({range}); set to {value}</source>
        <translation>{name}：{typed} 超出范围（{range}），已设为 {value}</translation>
    </message>
    <message>
        <source>text: is empty; type some text to see its attention</source>
        <translation>文本为空；请输入一些文本以查看其注意力</translation>
    </message>
    <message>
        <source>text: produced no tokens; type some text to see its attention</source>
        <translation>文本没有产生任何词元；请输入一些文本以查看其注意力</translation>
    </message>
    <message>
        <source>text: nothing to run; give at least one non-empty text</source>
        <translation>文本：没有可运行的内容；请至少给出一段非空文本</translation>
    </message>
    <message>
        <source>text: is empty; generation continues a text of at least one token</source>
        <translation>文本为空；生成需要从至少一个词元的文本继续</translation>
    </message>
    <message>
        <source>corpus: is empty; type some text or pick a corpus file</source>
        <translation>语料为空；请输入一些文本或选择一个语料文件</translation>
    </message>
    <message>
        <source>This checkpoint format is never loaded (pickle can run code)</source>
        <translation>从不加载这种检查点格式（pickle 可以执行代码）</translation>
    </message>
    <message>
        <source>This model&apos;s architecture is not supported</source>
        <translation>不支持此模型的架构</translation>
    </message>
    <message>
        <source>The model could not be loaded</source>
        <translation>无法加载模型</translation>
    </message>
    <message>
        <source>Not enough memory for this request</source>
        <translation>内存不足，无法完成此请求</translation>
    </message>
    <message>
        <source>A value came out non-finite, so it is not shown</source>
        <translation>出现了非有限值，因此不予显示</translation>
    </message>
    <message>
        <source>The corpus results could not be read</source>
        <translation>无法读取语料结果</translation>
    </message>
    <message>
        <source>The file was not found</source>
        <translation>找不到文件</translation>
    </message>
    <message>
        <source>The file could not be opened: permission denied</source>
        <translation>无法打开文件：权限不足</translation>
    </message>
    <message>
        <source>A file could not be read or written</source>
        <translation>无法读取或写入文件</translation>
    </message>
    <message>
        <source>The text cannot be run</source>
        <translation>无法运行该文本</translation>
    </message>
    <message>
        <source>The variant&apos;s options cannot be used</source>
        <translation>无法使用该变体的选项</translation>
    </message>
    <message>
        <source>There is no such layer in this model</source>
        <translation>此模型中没有这一层</translation>
    </message>
    <message>
        <source>There is no such head in this model</source>
        <translation>此模型中没有这个头</translation>
    </message>
    <message>
        <source>There is no such query position</source>
        <translation>没有这个查询位置</translation>
    </message>
    <message>
        <source>The model cannot be used for this</source>
        <translation>该模型不能用于此操作</translation>
    </message>
    <message>
        <source>The temperature cannot be used</source>
        <translation>无法使用该温度</translation>
    </message>
    <message>
        <source>The seed cannot be used</source>
        <translation>无法使用该种子</translation>
    </message>
    <message>
        <source>The number of steps cannot be used</source>
        <translation>无法使用该步数</translation>
    </message>
    <message>
        <source>The method cannot be used</source>
        <translation>无法使用该方法</translation>
    </message>
    <message>
        <source>The mask cannot be used</source>
        <translation>无法使用该掩码</translation>
    </message>
    <message>
        <source>The knocked-out heads cannot be used</source>
        <translation>无法使用这些被敲除的头</translation>
    </message>
    <message>
        <source>The answer cannot be used</source>
        <translation>无法使用该答案</translation>
    </message>
    <message>
        <source>The wrong answer cannot be used</source>
        <translation>无法使用该错误答案</translation>
    </message>
    <message>
        <source>The clean text cannot be used</source>
        <translation>无法使用该干净文本</translation>
    </message>
    <message>
        <source>The corrupted text cannot be used</source>
        <translation>无法使用该损坏文本</translation>
    </message>
    <message>
        <source>The corpus cannot be used</source>
        <translation>无法使用该语料</translation>
    </message>
    <message>
        <source>Model&apos;s own: θ = {global_theta} in global layers, θ = {local_theta} in local layers. A θ set here applies to every layer.</source>
        <translation>模型自带：全局层 θ = {global_theta}，局部层 θ = {local_theta}。此处设定的 θ 用于每一层。</translation>
    </message>
    <message>
        <source>drawing {variant} at the screen&apos;s resolution</source>
        <translation>正在按屏幕分辨率绘制 {variant}</translation>
    </message>
    <message>
        <source>B − A is drawn for texts of up to {limit} tokens; this one has {n}. The grid compares every head.</source>
        <translation>B − A 只对不超过 {limit} 个词元的文本绘制；此文本有 {n} 个。下方网格比较了每个头。</translation>
    </message>
    <message>
        <source>Export Comparison writes whole maps, for texts of up to {limit} tokens; this one has {n}</source>
        <translation>导出比较会写出完整的注意力图，仅适用于不超过 {limit} 个词元的文本；此文本有 {n} 个</translation>
    </message>
    <message>
        <source>{name} θ={global_theta} (global), {local_theta} (local)</source>
        <translation>{name} θ={global_theta}（全局），{local_theta}（局部）</translation>
    </message>
    <message>
        <source>{tip} ({range})</source>
        <translation>{tip}（{range}）</translation>
    </message>
    <message>
        <source>t-SNE cannot place this few points: choose PCA, or give a longer text</source>
        <translation>t-SNE 无法放置这么少的点：请选择 PCA，或给出更长的文本</translation>
    </message>
    <message>
        <source>UMAP cannot use this number of neighbours</source>
        <translation>UMAP 无法使用这个近邻数</translation>
    </message>
    <message>
        <source>The number of points cannot be used</source>
        <translation>无法使用该点数</translation>
    </message>
    <message>
        <source>The target token cannot be used</source>
        <translation>无法使用该目标词元</translation>
    </message>
    <message>
        <source>The number of new tokens cannot be used</source>
        <translation>无法使用该新词元数</translation>
    </message>
    <message>
        <source>{done}/{texts} texts</source>
        <translation>{done}/{texts} 个文本</translation>
    </message>
    <message>
        <source>about {minutes} min left</source>
        <translation>约剩 {minutes} 分钟</translation>
    </message>
    <message>
        <source>under a minute left</source>
        <translation>剩余不到一分钟</translation>
    </message>
    <message>
        <source>{rate} tokens/s</source>
        <translation>{rate} 词元/秒</translation>
    </message>
    <message>
        <source>Load a model first</source>
        <translation>请先加载模型</translation>
    </message>
    <message>
        <source>{texts} texts read</source>
        <translation>已读取 {texts} 个文本</translation>
    </message>
    <message>
        <source>{folder} is not a corpus job&apos;s folder: it holds no summary.json or job.json</source>
        <translation>{folder} 不是语料库任务的文件夹：其中没有 summary.json 或 job.json</translation>
    </message>
    <message>
        <source>{folder}: an unfinished run of {model} ({shards} shards written); load that model, open its corpus {corpus} and press Run to finish it</source>
        <translation>{folder}：{model} 未完成的运行（已写入 {shards} 个分片）；请加载该模型，打开其语料库 {corpus}，再按“运行”完成它</translation>
    </message>
    <message>
        <source>The layer of the head shown</source>
        <translation>所显示的头所在的层</translation>
    </message>
    <message>
        <source>The head whose queries and keys are shown</source>
        <translation>显示其查询和键的头</translation>
    </message>
    <message>
        <source>B − A: drawn up to {limit} tokens</source>
        <translation>B − A：仅绘制不超过 {limit} 个词元的文本</translation>
    </message>
    <message>
        <source>{source} holds no text to analyse</source>
        <translation>{source} 中没有可分析的文本</translation>
    </message>
    <message>
        <source>{source}: line {line} is not JSON ({why})</source>
        <translation>{source}：第 {line} 行不是 JSON（{why}）</translation>
    </message>
    <message>
        <source>{source}: line {line} is not an object with a &quot;text&quot; string</source>
        <translation>{source}：第 {line} 行不是带有 "text" 字符串的对象</translation>
    </message>
    <message>
        <source>{source} is not UTF-8 text ({why})</source>
        <translation>{source} 不是 UTF-8 文本（{why}）</translation>
    </message>
    <message>
        <source>{source} is not a corpus: its extension is &apos;{suffix}&apos;; use {allowed}</source>
        <translation>{source} 不是语料库：其扩展名为“{suffix}”；请使用 {allowed}</translation>
    </message>
    <message>
        <source>{source} is not a file</source>
        <translation>{source} 不是文件</translation>
    </message>
    <message>
        <source>{source} has no &quot;text&quot; column; its columns: {columns}</source>
        <translation>{source} 没有 "text" 列；其列为：{columns}</translation>
    </message>
    <message>
        <source>{folder} holds the results of another job ({differs}): delete that folder, or copy the corpus elsewhere, to score it again</source>
        <translation>{folder} 中是另一个任务的结果（{differs}）：删除该文件夹，或将语料库复制到别处，即可重新评分</translation>
    </message>
    <message>
        <source>text {id}: {n} tokens, over the model&apos;s context of {limit}; truncated to {limit}</source>
        <translation>文本 {id}：{n} 个词元，超过模型的上下文长度 {limit}；已截断为 {limit}</translation>
    </message>
    <message>
        <source>{source}: text {id} is blank; skipped</source>
        <translation>{source}：文本 {id} 为空；已跳过</translation>
    </message>
    <message>
        <source>copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>reverse</source>
        <translation>反转</translation>
    </message>
    <message>
        <source>sort</source>
        <translation>排序</translation>
    </message>
    <message>
        <source>dates</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>additive</source>
        <translation>加性</translation>
    </message>
    <message>
        <source>dot</source>
        <translation>点积</translation>
    </message>
    <message>
        <source>general</source>
        <translation>一般（general）</translation>
    </message>
    <message>
        <source>concat</source>
        <translation>拼接</translation>
    </message>
    <message>
        <source>text {index}</source>
        <translation>文本 {index}</translation>
    </message>
    <message>
        <source>{where}: longer than the model&apos;s context of {n_ctx} tokens; the last {dropped} tokens were dropped</source>
        <translation>{where}：超过模型的上下文长度 {n_ctx} 个词元；已丢弃最后 {dropped} 个词元</translation>
    </message>
    <message>
        <source>Running the patching sweep</source>
        <translation>正在运行修补扫描</translation>
    </message>
    <message>
        <source>Attributing the prediction</source>
        <translation>正在归因预测</translation>
    </message>
    <message>
        <source>Computing the neuron view</source>
        <translation>正在计算神经元视图</translation>
    </message>
    <message>
        <source>Projecting queries and keys</source>
        <translation>正在投影查询和键</translation>
    </message>
</context>
</TS>
