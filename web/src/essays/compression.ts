/**
 * The compression lens, as an essay: a language model is a compressor, and the same ideas — sparsity,
 * rate and distortion, coding with a model — explain how models themselves are made smaller.
 * Measured numbers and verdicts come from results/.
 */
import type { Essay } from './types.js';

export const essay: Essay = {
  lens: 'compression',
  intro: [
    {
      en: 'There are two compressions in an LLM researcher\'s life. The first is the model *as* a compressor: a model that predicts the next symbol well can encode text in few bits, and the training loss — cross-entropy in bits per character — is literally the length of that code. The second is the compression *of* the model: pruning, quantization and distillation, which make a network smaller or cheaper while trying to keep what it knows. Both rest on the same handful of ideas from information theory and signal processing: sparsity, rate–distortion, and coding with a probability model.',
      zh: '大模型研究者的生活里有两种压缩。第一种是把模型*当作*压缩器：一个能把下一个符号预测好的模型，就能用很少的比特编码文本，而训练损失——以比特/字符计的交叉熵——恰恰就是这个编码的长度。第二种是对模型*本身*的压缩：剪枝、量化与蒸馏，让网络变小、变便宜，同时尽量保住它学到的东西。两者都建立在信息论和信号处理里同一小撮思想之上：稀疏性、率失真，以及用概率模型来编码。',
    },
    {
      en: 'The usual answer strings these together with confident numbers — 30% of BERT\'s parameters with under 2% loss, 75% smaller at 99% accuracy, GPT-3 at one hundredth of the compute. This page separates the mechanisms, which we can demonstrate exactly, from the numbers, which we test at our scale and label honestly when they cannot be reached.',
      zh: '常见回答把这些串在一起，还配上自信的数字——BERT 剪到 30% 的参数、损失不到 2%；体积减少 75%、保持 99% 的精度；GPT-3 只需百分之一的算力。这一页把机制和数字分开：机制我们可以精确地演示；数字则在我们的规模上检验，够不着的地方就如实标注。',
    },
  ],
  sections: [
    {
      id: 'lm-is-compression',
      title: { en: 'Language modelling is compression', zh: '语言建模就是压缩' },
      experiment: 'compression.lm-is-compression',
      claims: ['comp.lm-is-compression'],
      seed: {
        en: 'The seed answer says information theory governs how knowledge is represented and compressed; its testable core is that a model with cross-entropy H bits per character gives a code of about H bits per character.',
        zh: '种子回答说：信息论支配着知识的表示与压缩；它可检验的核心是：交叉熵为每字符 H 比特的模型，能给出每字符约 H 比特的编码。',
      },
      body: [
        {
          en: 'Shannon\'s source-coding theorem says no code can beat the entropy of the source, and arithmetic coding shows how to come within a few bits of $-\\sum_t \\log_2 q(x_t \\mid x_{<t})$ for *any* predictive model $q$. So the claim is not a metaphor: feed a model\'s probabilities to an arithmetic coder and the file shrinks to the model\'s cross-entropy, plus a constant. The experiment does exactly that with n-gram models and the tiny GPT, and measures the gap between the bits the coder wrote and the bits the model predicted.',
          zh: '香农的信源编码定理说，任何编码都不可能短于信源的熵；而算术编码告诉我们，对*任何*预测模型 $q$，都能把编码长度做到离 $-\\sum_t \\log_2 q(x_t \\mid x_{<t})$ 只差几个比特。所以这条论断不是比喻：把模型的概率交给算术编码器，文件就会缩到模型的交叉熵，再加一个常数。实验正是这样做的——用 n 元模型和小型 GPT——并测量编码器实际写出的比特与模型预测的比特之间的差距。',
        },
        {
          en: 'The same link runs the other way. The best general-purpose compressors, the context-mixing family behind PAQ and zpaq, are themselves online learners: dozens of small models predict each bit, and a logistic mixer, trained by gradient descent on the code length as it goes, decides whom to trust. `fivelens zip` is such a compressor, and the figure shows which of its models predicts what along a real file.',
          zh: '这条联系反过来也成立。最好的通用压缩器——PAQ 和 zpaq 背后的上下文混合家族——本身就是在线学习器：几十个小模型各自预测每一个比特，一个逻辑斯蒂混合器一边编码、一边用梯度下降在码长上训练，决定该相信谁。`fivelens zip` 就是这样一个压缩器，图中显示了在一个真实文件上，它的各个模型分别预测了什么。',
        },
        {
          en: 'One consequence is worth stating plainly: comparing models by validation loss and comparing compressors by file size are the same comparison. A model at 2.0 bits per character would store this page in a quarter of its UTF-8 size; a model that memorised the training set would look excellent on training text and poor on held-out text — exactly as an overfitted compressor would.',
          zh: '有一个推论值得直说：用验证损失比较模型，和用文件大小比较压缩器，其实是同一种比较。一个每字符 2.0 比特的模型，可以把这一页存成它 UTF-8 大小的四分之一；一个把训练集背下来的模型，在训练文本上看起来好得出奇，在留出文本上却很差——和一个过拟合的压缩器一模一样。所以，当有人说"模型更好了"，你总可以追问一句：在没见过的文本上，它的码长短了多少比特？这句追问能戳破许多只在训练集上成立的进步。',
        },
      ],
      formulas: [{ tex: '\\text{bits}(x_{1:n}) \\le -\\sum_{t=1}^{n} \\log_2 q(x_t \\mid x_{<t}) + 2', label: { en: 'arithmetic coding with a predictive model', zh: '用预测模型做算术编码' } }],
      llm: {
        en: 'Delétang et al. (2024) showed that large language models, used this way, compress text (and even images and audio) better than gzip and PNG. The lesson for training is that every fraction of a bit in validation loss is real: it is the length of the best description the model has found.',
        zh: 'Delétang 等人（2024）证明，这样使用的大型语言模型压缩文本（甚至图像和音频）的效果比 gzip 和 PNG 更好。对训练的启示是：验证损失里的每一个零点几比特都是实打实的——它是模型找到的最短描述的长度。',
      },
      topics: ['lm-as-compression', 'entropy-coding'],
    },
    {
      id: 'sensing',
      title: { en: 'Compressed sensing: sparse signals from few measurements', zh: '压缩感知：从很少的测量中恢复稀疏信号' },
      experiment: 'compression.sensing',
      claims: ['comp.sub-nyquist'],
      seed: {
        en: 'The seed answer says a signal sparse in some basis can be reconstructed exactly from far fewer samples than the Nyquist rate requires.',
        zh: '种子回答说：在某个基下稀疏的信号，可以用远少于奈奎斯特采样率所需的样本精确重建。',
      },
      body: [
        {
          en: 'Take a vector of $n$ numbers of which only $k$ are non-zero, and measure $m$ random linear combinations of it, $y = A x$. If $m < n$ the system is underdetermined — infinitely many $x$ fit — yet if $x$ is sparse enough, the sparsest solution is unique, and minimising the $\\ell_1$ norm finds it. Donoho and Tanner (2009) mapped exactly where this works: in the plane of undersampling $\\delta = m/n$ and sparsity $\\rho = k/m$, a sharp curve separates success from failure.',
          zh: '取一个有 $n$ 个数、其中只有 $k$ 个非零的向量，测量它的 $m$ 个随机线性组合 $y = A x$。若 $m < n$，方程组是欠定的——有无穷多个 $x$ 都满足——然而只要 $x$ 足够稀疏，最稀疏的解就是唯一的，而最小化 $\\ell_1$ 范数就能找到它。Donoho 与 Tanner（2009）精确地画出了这件事在哪里成立：在欠采样率 $\\delta = m/n$ 与稀疏度 $\\rho = k/m$ 构成的平面上，一条陡峭的曲线把成功与失败分开。',
        },
        {
          en: 'Pick a point in the figure and watch recovery succeed below the curve and fail above it. The experiment runs thousands of random problems, finds where the success rate crosses one half for each $\\delta$, and compares those points with Donoho and Tanner\'s published curve within a stated tolerance.',
          zh: '在图中选一个点，看恢复在曲线下方成功、在上方失败。实验运行成千上万个随机问题，对每个 $\\delta$ 找出成功率越过一半的位置，并在事先声明的容差内，把这些点与 Donoho 和 Tanner 发表的曲线相比较。',
        },
      ],
      formulas: [{ tex: '\\min_x \\|x\\|_1 \\ \\text{s.t.}\\ A x = y, \\quad A \\in \\mathbb{R}^{m\\times n},\\ m \\ll n', label: { en: 'basis pursuit', zh: '基追踪' } }],
      live: 'omp-phase',
      llm: {
        en: 'Sparsity is everywhere in large models: most activations of an MLP layer are near zero for a given token, attention is concentrated on few positions, and mixture-of-experts models activate a few experts per token. Compressed sensing is the mathematics of how much you can recover from few measurements when you know the answer is sparse.',
        zh: '稀疏性在大模型里无处不在：对给定的词元，MLP 层的大多数激活都接近零；注意力集中在少数位置上；混合专家模型每个词元只激活少数几个专家。压缩感知就是这样一门数学：当你知道答案是稀疏的，从很少的测量里究竟能恢复多少。',
      },
      topics: ['sparse-recovery'],
    },
    {
      id: 'lottery',
      title: { en: 'Lottery tickets and pruning', zh: '彩票假设与剪枝' },
      experiment: 'compression.lottery-ticket',
      claims: ['comp.lottery-from-cs', 'comp.bert-30-2'],
      seed: {
        en: 'The seed answer says compressed sensing inspired the lottery-ticket hypothesis — sparse subnetworks that reach the full network\'s performance — and that iterative magnitude pruning takes BERT to 30% of its parameters with less than 2% accuracy loss.',
        zh: '种子回答说：压缩感知启发了剪枝中的彩票假设——存在能达到整个网络性能的稀疏子网络；迭代幅值剪枝能把 BERT 剪到原参数的 30%，精度损失不到 2%。',
      },
      body: [
        {
          en: 'Frankle and Carbin (2019) trained a network, removed the smallest weights, reset the survivors to their *original* initial values and trained again — repeatedly. The sparse "winning tickets" they found trained as fast as the full network and reached its accuracy with a few percent of the weights, while the same sparse structure with fresh random values did not. The experiment repeats iterative magnitude pruning on a digits MLP with five seeds, and on the tiny GPT.',
          zh: 'Frankle 与 Carbin（2019）先训练一个网络，去掉最小的那些权重，把留下来的权重重置回它们*最初*的初始值，再训练——如此反复。他们找到的稀疏"中奖彩票"训练得和完整网络一样快，只用百分之几的权重就达到了它的精度；而同样的稀疏结构配上新的随机初值却做不到。实验在手写数字 MLP 上用五个随机种子重复了迭代幅值剪枝，也在小型 GPT 上做了一遍。',
        },
        {
          en: 'Did compressed sensing inspire the idea? The lottery-ticket paper does not say so, and its argument is empirical, not the recovery theorems of sparse signals. An analogy cannot be measured; what can be measured is whether sparse subnetworks match the dense one, and how much a language model loses when pruned to 30%. Those are the numbers the verdicts rest on.',
          zh: '彩票假设是受压缩感知启发的吗？彩票假设的论文里没有这么说，它的论证是经验性的，并不是稀疏信号的恢复定理。类比没法测量；能测量的是：稀疏子网络能否追上稠密网络，以及一个语言模型被剪到 30% 时会损失多少。结论所依据的，正是这些数字。',
        },
      ],
      llm: {
        en: 'Pruning large language models is harder than pruning small vision nets: at 50% sparsity most LLMs lose noticeably without retraining, and methods like SparseGPT and Wanda exist precisely to choose which weights to remove using second-order or activation information. Structured sparsity (2:4) is what current hardware can actually speed up.',
        zh: '剪枝大型语言模型比剪枝小型视觉网络难：在 50% 稀疏度下，不重新训练的话大多数大模型都会明显变差；SparseGPT、Wanda 这类方法之所以存在，正是为了利用二阶信息或激活信息来挑选该去掉哪些权重。目前硬件真正能加速的是结构化稀疏（2:4）。',
      },
      topics: ['pruning', 'sparse-recovery'],
    },
    {
      id: 'quantization',
      title: { en: 'Quantization as rate–distortion', zh: '把量化看作率失真问题' },
      experiment: 'compression.quantization',
      claims: ['comp.quant-rate-distortion', 'comp.mixed-precision-75-99'],
      seed: {
        en: 'The seed answer says quantizing 32-bit weights to 8-bit integers is an optimal-coding problem in rate–distortion theory, that mixed precision allocates bits by layer sensitivity, and that it cuts model size by 75% while keeping 99% of the accuracy.',
        zh: '种子回答说：把 32 位权重量化成 8 位整数，是率失真理论里的最优编码问题；混合精度按各层的敏感度分配比特；这样能把模型体积减少 75%，同时保持 99% 的精度。',
      },
      body: [
        {
          en: 'Rate–distortion theory asks: with $R$ bits per number, what is the least distortion $D$ you can achieve? For a Gaussian source the answer is $D(R) = \\sigma^2 2^{-2R}$ — every extra bit cuts the error by a factor of four, about 6 dB. A uniform quantizer gets the same slope, which is why the "6 dB per bit" rule holds for *any* uniform quantizer and cannot by itself show that weight quantization is optimal coding. The figure lets you change the number of bits and see the signal-to-noise ratio move along that line.',
          zh: '率失真理论问的是：每个数用 $R$ 个比特，最少能做到多小的失真 $D$？对高斯信源，答案是 $D(R) = \\sigma^2 2^{-2R}$——每多一个比特，误差就降为四分之一，约 6 分贝。均匀量化器也有同样的斜率，所以"每比特 6 分贝"对*任何*均匀量化器都成立，光凭它并不能说明权重量化就是最优编码。图中可以改变比特数，看信噪比沿着这条线移动。',
        },
        {
          en: 'What matters for a model is not the error in the weights but the error in the output. Layers differ in how much their errors hurt: giving sensitive layers more bits and robust layers fewer, at the same average, should beat a uniform allocation. GPTQ goes further and corrects each rounding error using second-order information about the layer. The experiment quantizes the trained tiny GPT, chooses every setting on validation text, and reports the held-out cost once.',
          zh: '对模型来说，要紧的不是权重上的误差，而是输出上的误差。各层对误差的敏感程度不同：在同样的平均比特数下，给敏感的层多分比特、给稳健的层少分，应当胜过均匀分配。GPTQ 更进一步，利用关于这一层的二阶信息来修正每一次取整的误差。实验对训练好的小型 GPT 做量化，所有设置都在验证文本上选定，最后只在留出文本上报告一次代价。',
        },
        {
          en: 'A subtle point hides in the words "optimal coding". Rate–distortion theory is about the best possible code for a *source*; a quantizer rounds each weight on its own grid. The two meet when the grid is entropy-coded and the distortion is measured where it matters — in the model\'s loss, not in the weights — and that is the version the experiment tests.',
          zh: '"最优编码"这几个字里藏着一个细节。率失真理论讲的是对一个*信源*可能达到的最好编码；而量化器只是把每个权重各自放到网格上取整。两者要对得上，网格需要再做熵编码，失真也要在真正要紧的地方测量——在模型的损失上，而不是在权重上。实验检验的正是这个版本：在同样的平均比特数下，按敏感度分配比特能否让交叉熵增加得更少。',
        },
      ],
      formulas: [{ tex: 'D(R) = \\sigma^2\\, 2^{-2R} \\iff \\mathrm{SNR}(R) \\approx 6.02\\,R\\ \\text{dB}', label: { en: 'the Gaussian rate–distortion function', zh: '高斯信源的率失真函数' } }],
      live: 'quantization',
      llm: {
        en: 'Serving LLMs at 8 and 4 bits per weight is now routine: int8 with per-channel scales loses almost nothing, 4-bit with GPTQ or AWQ loses a little, and the outlier features of large transformers are why naive per-tensor rounding fails. The rate–distortion view tells you what to measure: bits per weight against the increase in cross-entropy.',
        zh: '如今以每个权重 8 比特甚至 4 比特来部署大模型已是常规操作：按通道缩放的 int8 几乎无损，用 GPTQ 或 AWQ 的 4 比特略有损失；而大型 Transformer 里的离群特征，正是朴素的按张量取整会失败的原因。率失真的视角告诉你该测什么：每个权重的比特数，对比交叉熵的增加量。',
      },
      topics: ['quantization', 'rate-distortion'],
    },
    {
      id: 'distillation',
      title: { en: 'Distillation as coding', zh: '把蒸馏看作编码' },
      experiment: 'compression.distill-gpt',
      claims: ['comp.distill-coding', 'comp.distill-gpt3-1-100'],
      seed: {
        en: 'The seed answer calls the teacher–student framework a two-stage coding system obeying the rate–distortion law, and says distillation turned GPT-3 into a model needing 1/100 of the compute.',
        zh: '种子回答把师生框架称为一个遵循率失真规律的两级编码系统，并说蒸馏把 GPT-3 变成了只需百分之一算力的轻量模型。',
      },
      body: [
        {
          en: 'A teacher\'s full distribution over the next token carries more information per example than the one-hot label: it says which wrong answers are nearly right. A student trained on those soft targets gets more bits of supervision per token. The experiment trains small GPT students on the tiny GPT teacher\'s soft targets and on the data alone, with several seeds, and plots cost against size and against compute — counting the teacher\'s forward passes, which the usual story leaves out.',
          zh: '教师对下一个词元的完整分布，比独热标签在每个样本上携带更多信息：它告诉你哪些错误答案其实差不多是对的。用这些软目标训练的学生，每个词元得到的监督比特更多。实验用小型 GPT 教师的软目标、以及只用数据，分别训练小型 GPT 学生，跑多个随机种子，并画出代价随规模、随算力的变化——算力里计入了教师的前向计算，而通常的说法会把它略去。',
        },
        {
          en: 'The GPT-3 figure cannot be checked at our scale, and the page says so rather than pretending: what we can test is whether soft targets help a smaller student and at what cost, which is the mechanism the claim relies on.',
          zh: 'GPT-3 的那个数字在我们的规模上无法检验，这一页如实说明，而不是假装能检验：我们能检验的是软目标是否能帮助一个更小的学生、代价是多少——这正是那条论断所依赖的机制。',
        },
      ],
      formulas: [{ tex: '\\mathcal{L} = \\alpha\\, T^2\\, D_{\\mathrm{KL}}(p_T \\,\\|\\, q_T) + (1-\\alpha)\\, \\mathrm{CE}(y, q)', label: { en: 'the distillation loss (Hinton et al. 2015)', zh: '蒸馏损失（Hinton 等 2015）' } }],
      llm: {
        en: 'Distillation is how many small open models are made: DistilBERT, and more recently students trained on the logits or the generations of a larger model. Whether it beats simply training the small model longer on more data depends on how the teacher\'s cost is counted — a question the compute figure makes explicit.',
        zh: '许多小型开源模型都是靠蒸馏做出来的：DistilBERT，以及近来用更大模型的 logits 或生成结果训练出来的学生模型。它是否胜过"干脆用更多数据把小模型多训一会儿"，取决于教师的代价怎么算——算力那张图把这个问题摆到了明处。',
      },
      topics: ['distillation', 'rate-distortion'],
    },
  ],
  outro: [
    {
      en: 'What to take away: the link between prediction and compression is exact and worth internalising — a loss in bits is a file size. The model-compression methods are engineering built on real theory (sparsity, rate–distortion, soft targets), and their headline numbers depend on the model, the data and how costs are counted; measure them, as these experiments do, before you quote them.',
      zh: '带走什么：预测与压缩之间的联系是精确的，值得真正吃透——以比特计的损失就是文件大小。模型压缩方法是建立在真实理论（稀疏性、率失真、软目标）之上的工程，它们的招牌数字取决于模型、数据以及代价的算法；在引用之前，先像这些实验一样去测一测。',
    },
    {
      en: 'To study further: Cover & Thomas for entropy, source coding and rate–distortion; Sayood for practical compression and arithmetic coding; Foucart & Rauhut or Elad for sparse recovery; Gersho & Gray for vector quantization. The atlas shows what to read first.',
      zh: '继续学习：Cover 与 Thomas 讲熵、信源编码和率失真；Sayood 讲实用的压缩与算术编码；Foucart 与 Rauhut 或 Elad 讲稀疏恢复；Gersho 与 Gray 讲矢量量化。知识图谱告诉你先读哪一本。',
    },
  ],
  textbooks: ['cover-thomas', 'sayood-data-compression', 'foucart-rauhut', 'elad-sparse', 'gersho-gray', 'mackay-itila'],
};
