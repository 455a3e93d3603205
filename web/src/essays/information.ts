/**
 * The information lens as an essay: why a language-model researcher needs information theory,
 * told through our six experiments. The two languages are written each for its reader, not
 * translated line by line. Measured numbers are never typed here: each section shows the committed
 * full-preset result (figure, verdict, criteria) of its experiment from results/.
 */
import type { Essay } from './types.js';

export const essay: Essay = {
  lens: 'information',
  intro: [
    {
      en: 'A language model does one thing: given the text so far, it puts a probability on every possible next token. Everything else — the chat, the code, the poems — is that one act repeated. Information theory is the science of exactly this object, a probability distribution over symbols, and of what it costs to describe, send and compress what such a distribution produces. That is why the first lens is not a metaphor. The number printed in every training log, the loss, is an information-theoretic quantity measured in bits (or nats), and most of what you can say about it — how low it can go, why it stops falling, what a "better model" even means — is a theorem from Shannon’s 1948 paper or from the textbooks that grew out of it.',
      zh: '语言模型只做一件事：看着已经写出的文字，给下一个词元的每一种可能都标上一个概率。聊天、写代码、作诗，全都是这件事的重复。信息论研究的恰好就是这个对象——符号上的概率分布——以及描述、传输、压缩这种分布所产生的东西要付出多少代价。所以第一个透镜并不是比喻。每一份训练日志里打印的那个数字，损失，本身就是一个以比特（或奈特）为单位的信息论量；关于它的大多数问题——最低能降到多少、为什么降不动了、“更好的模型”到底指什么——答案都是香农 1948 年那篇论文或由它长出来的教科书里的定理。',
    },
    {
      en: 'The answer this lab checks makes six claims under this heading. Two of them are the backbone of the field and reproduce cleanly on a laptop. Others are half-truths, a loose analogy stated as a mechanism, or a number nobody can trace. Below, each claim gets the idea behind it, a figure you can play with, what our committed full run measured, and the verdict, with the criteria that were fixed before the run. Read it in order: each section uses the vocabulary of the one before.',
      zh: '这个实验室要核查的那篇回答，在“信息论”名下提出了六条说法。其中两条是整个领域的骨架，在一台笔记本上就能干净地复现；另一些则是半真半假：把一个松散的类比说成了机制，或者引用了一个谁也查不到出处的数字。下面每一节都先讲清背后的想法，再给一张你可以亲手拖动的图，然后是我们提交的完整运行测到了什么、判定是什么，以及运行之前就定下的判据。建议按顺序读：每一节都会用到前一节的概念。',
    },
  ],
  sections: [
    {
      id: 'loss-is-code-length',
      title: { en: 'The loss is a code length', zh: '损失就是编码长度' },
      experiment: 'information.entropy-rate',
      claims: ['info.lm-entropy'],
      seed: {
        en: 'Information theory is the probabilistic framework of language modelling: Shannon entropy governs how a language model models the distribution of token sequences.',
        zh: '信息论是语言建模的概率框架：香农熵决定了语言模型如何刻画词元序列的分布。',
      },
      body: [
        {
          en: 'Start with a game. I think of a character of English text and you must guess it; each yes/no question costs you one bit. If every one of 65 characters were equally likely you would need about $\\log_2 65 \\approx 6$ questions. But they are not equally likely: spaces and "e" are common, "Q" is rare, and after "th" the next letter is almost surely a vowel. A clever questioner who knows these probabilities asks about likely answers first and needs fewer questions on average. Shannon proved that the best possible average is the **entropy** $H(p)$ of the distribution, and that a code built from a model $q$ pays the **cross-entropy** $H(p,q)$ instead.',
          zh: '先玩一个游戏：我心里想好英文文本里的一个字符，你来猜；每问一个“是不是”的问题，就花掉一个比特。如果 65 个字符出现的可能完全相同，你大约要问 $\\log_2 65 \\approx 6$ 次。可它们并不相同：空格和字母 e 到处都是，Q 很少见；在 th 后面，下一个字母几乎一定是元音。一个懂得这些概率的提问者会先问最可能的答案，平均下来问得更少。香农证明了：平均问题数的最小可能值就是这个分布的**熵** $H(p)$；而按照某个模型 $q$ 设计的编码，要付出的则是**交叉熵** $H(p,q)$。',
        },
        {
          en: 'Now read the training loss of a language model again. For each position it takes $-\\log_2 q(x_t\\mid x_{<t})$, the number of bits an arithmetic coder driven by the model would spend on the true next character, and averages. The loss *is* a code length. Lowering it and compressing the text better are literally the same act. Our experiment makes this concrete with the simplest models there are: n-gram counts of order 0 to 8 on Shakespeare, scored on held-out text, set beside the file sizes of gzip, bzip2, xz, zstd and brotli. Watch two things in the figure: held-out bits per character fall as the context grows and then turn back up, because long contexts are memorised rather than learned; and the best probability model beats the general-purpose compressors, because a compressor is only as good as its model of the data.',
          zh: '现在再看语言模型的训练损失。它在每个位置上取 $-\\log_2 q(x_t\\mid x_{<t})$——由这个模型驱动的算术编码器为真实的下一个字符要花的比特数——然后求平均。损失**就是**编码长度。把损失降下来，和把文本压得更短，是同一件事，不是两件相似的事。我们的实验用最朴素的模型把这一点摆到眼前：在莎士比亚文本上统计 0 到 8 阶的 n 元语法，用没见过的文本打分，再和 gzip、bzip2、xz、zstd、brotli 压出的文件大小放在一起。图里有两件事值得看：随着上下文变长，留出集上每字符的比特数先下降、后回升——太长的上下文被死记硬背，而不是被学会；最好的概率模型比通用压缩器更短——压缩器的好坏，完全取决于它对数据的模型。',
        },
        {
          en: 'The live figure below lets you feel the two quantities. Shape the data distribution p with the sliders and compare it with a fixed model q. Make p uniform and the entropy reaches its ceiling; pile all the weight on one symbol and it drops to zero. Notice that the cross-entropy never goes below the entropy, whatever you do.',
          zh: '下面的实时图让你亲手感受这两个量。用滑块塑造数据分布 p，再和一个固定的模型 q 对比。把 p 拉成均匀分布，熵就到顶；把所有权重压到一个符号上，熵就降到零。留意一点：无论你怎么拖，交叉熵都不会低于熵。',
        },
      ],
      formulas: [
        { tex: String.raw`H(p) = -\sum_x p(x)\log_2 p(x)`, label: { en: 'entropy: the shortest average code', zh: '熵：最短的平均编码长度' } },
        { tex: String.raw`\mathcal{L} = -\frac{1}{T}\sum_{t=1}^{T}\log_2 q_\theta(x_t \mid x_{<t}) \;\text{bits/char}`, label: { en: 'the training loss, in bits per character', zh: '训练损失，单位是比特/字符' } },
      ],
      live: 'entropy-kl',
      llm: {
        en: 'When a paper reports perplexity, bits per byte or nats per token, it reports a compression rate. Comparing models across tokenizers therefore needs bits per *byte* (or per character), not per token; and a loss curve that flattens is approaching the entropy of the data plus what the model still gets wrong, never zero.',
        zh: '论文里报告困惑度、每字节比特数或每词元奈特数时，报告的其实都是压缩率。所以跨分词器比较模型，要用每**字节**（或每字符）的比特数，而不是每词元；一条逐渐走平的损失曲线，逼近的是数据的熵加上模型仍然犯的错，永远不会是零。',
      },
      topics: ['entropy-coding', 'channel-capacity'],
    },
    {
      id: 'entropy-plus-kl',
      title: { en: 'Entropy plus a divergence, nothing else', zh: '熵加上一个散度，别无其他' },
      experiment: 'information.cross-entropy-decomposition',
      claims: ['info.lm-entropy'],
      body: [
        {
          en: 'On real text we never know the true entropy, so the first experiment can only show the loss falling toward an unknown floor. To see the floor itself we need a source whose entropy we can compute exactly. So we build one: an order-2 Markov chain whose transition table is estimated from Shakespeare. Its entropy rate is a finite sum over the table. We then sample a million characters from it, fit models of order 0 to 5 on the sample, and score them on fresh samples.',
          zh: '在真实文本上，我们永远不知道真正的熵，所以上一个实验只能看到损失朝一个未知的地板下降。要看见地板本身，就需要一个熵能精确算出来的信源。于是我们自己造一个：用莎士比亚文本估计出转移表的二阶马尔可夫链。它的熵率是转移表上的一个有限求和。然后从它采样一百万个字符，在样本上拟合 0 到 5 阶的模型，再用新采的样本打分。',
        },
        {
          en: 'The identity $H(p,q) = H(p) + D_{\\mathrm{KL}}(p\\,\\|\\,q)$ then stops being algebra and becomes a measurement. Models of too low an order pay a large divergence because they cannot see enough context. The model of the right order comes close to the floor. Models of higher order cannot pass it — no model can — and they pay a little extra, which is exactly the divergence caused by estimating many more contexts from the same finite sample. That is the bias–variance trade-off, written in bits.',
          zh: '这样一来，恒等式 $H(p,q) = H(p) + D_{\\mathrm{KL}}(p\\,\\|\\,q)$ 就不再只是代数，而变成了可以测量的东西。阶数太低的模型看不到足够的上下文，要付出很大的散度；阶数正好的模型几乎贴着地板；阶数更高的模型穿不过地板——任何模型都穿不过——而且还要多付一点，这一点恰好是用同样有限的样本去估计多得多的上下文所带来的散度。这就是偏差与方差的权衡，只不过是用比特写出来的。',
        },
      ],
      formulas: [{ tex: String.raw`H(p,q) = H(p) + D_{\mathrm{KL}}(p\,\|\,q) \;\ge\; H(p)`, label: { en: 'the cost of a model: entropy plus divergence', zh: '模型的代价：熵加散度' } }],
      llm: {
        en: 'Scaling laws are usually fitted as $L(N) = E + A/N^{\\alpha}$: the constant $E$ is the entropy of the text, the shrinking term is the divergence that more parameters and data buy back. Knowing which part you are in tells you whether a bigger model can help at all.',
        zh: '缩放定律通常拟合成 $L(N) = E + A/N^{\\alpha}$：常数 $E$ 是文本的熵，不断缩小的那一项是更多参数和数据能赢回来的散度。知道自己处在哪一部分，就知道更大的模型到底还有没有用。',
      },
      topics: ['entropy-coding'],
    },
    {
      id: 'attention-mi',
      title: { en: 'Does attention compute mutual information?', zh: '注意力在计算互信息吗？' },
      experiment: 'information.attention-mi',
      claims: ['info.attention-mi', 'info.mi-threshold'],
      seed: {
        en: 'Self-attention captures long-range dependencies by computing the mutual information between tokens; and once a head’s captured mutual information passes a threshold, language ability jumps.',
        zh: '自注意力通过计算词元之间的互信息来捕捉长程依赖；而且注意力头捕获的互信息一旦超过某个阈值，语言理解能力就会出现质的飞跃。',
      },
      body: [
        {
          en: 'Mutual information $I(X;Y)$ measures how much knowing one variable tells you about another. Between two positions of a text it is large for neighbours and decays with distance. It is tempting to say that attention "computes" it: a head looks at the tokens that tell it most. But attention weights are a softmax of dot products between a query and keys; nothing in the mechanism estimates probabilities of pairs. Whether the weights end up *tracking* mutual information is an empirical question, and a sharp one: we can compute the pointwise mutual information (PMI) of character pairs from counts and correlate it with what each head of a small trained GPT attends to.',
          zh: '互信息 $I(X;Y)$ 衡量知道一个变量能告诉你多少关于另一个变量的事。文本里两个位置之间的互信息，相邻时很大，随距离衰减。于是很容易说注意力在“计算”它：一个头会去看最能告诉它信息的词元。可注意力权重只是查询和键点积之后的 softmax，机制里没有任何一步在估计成对的概率。权重最后是否**跟随**互信息，是一个经验问题，而且可以问得很尖锐：我们能从计数算出字符对的逐点互信息（PMI），再和一个训练好的小型 GPT 每个头的注意力做相关。',
        },
        {
          en: 'The trap is distance. Both PMI and attention fall with distance, so a correlation over all pairs mostly measures recency. The honest test compares pairs at the same offset. Look at the verdict below to see what survived that control. The second half of the claim — a threshold of mutual information after which abilities jump — has no source we could find; the closest published phenomenon is the abrupt formation of induction heads, which is about a circuit, not a quantity of bits. A claim without a source and without a definition of its threshold is not something an experiment can confirm or refute, so it is marked untestable, and the reason is stated.',
          zh: '陷阱在于距离。PMI 和注意力都随距离下降，所以对所有位置对算相关，测到的多半只是“越近越关注”。诚实的检验是只比较同一偏移量上的位置对。下面的判定告诉你，控制住距离以后还剩下什么。说法的后半句——互信息超过阈值后能力就会飞跃——我们找不到任何出处；最接近的已发表现象是归纳头（induction head）的突然形成，它说的是一条电路，而不是多少比特。一个既没有出处、又没定义阈值的说法，实验无法证实也无法证伪，所以被标为“无法检验”，并写明了理由。',
        },
        {
          en: 'The live figure shows what attention does compute: a softmax over scores. Drag the temperature and watch the entropy of the weights. At low temperature one word takes everything; at high temperature the head spreads itself thin. The entropy here is a property of the weights, not mutual information between tokens.',
          zh: '实时图展示了注意力真正在算的东西：对分数做 softmax。拖动温度，看权重的熵怎么变。温度低时一个词拿走全部权重；温度高时这个头把注意力摊得很薄。这里的熵描述的是权重本身，而不是词元之间的互信息。',
        },
      ],
      formulas: [
        { tex: String.raw`I(X;Y) = \sum_{x,y} p(x,y)\log_2\frac{p(x,y)}{p(x)\,p(y)}`, label: { en: 'mutual information', zh: '互信息' } },
        { tex: String.raw`\alpha_{ij} = \mathrm{softmax}_j\!\left(\frac{q_i\cdot k_j}{\sqrt{d}}\right)`, label: { en: 'what attention computes', zh: '注意力真正计算的量' } },
      ],
      live: 'attention-temperature',
      llm: {
        en: 'Information-theoretic words are good for describing what a model has learned, and dangerous as descriptions of how it computes. When you read that a component "maximises information", ask what is estimated, by which formula, and whether a control (here, distance) was applied.',
        zh: '信息论的词汇很适合描述模型学到了什么，却很容易误导人去相信模型是怎么算的。读到某个组件“最大化了信息”时，要追问：估计的是什么、用的哪个公式、有没有做对照（这里的对照就是距离）。',
      },
      topics: ['mi-estimation'],
    },
    {
      id: 'bottleneck',
      title: { en: 'The information bottleneck is a trade-off, not a schedule', zh: '信息瓶颈是一种权衡，不是训练日程' },
      experiment: 'information.bottleneck-curve',
      claims: ['info.ib-phases'],
      seed: {
        en: 'In LLM training, the information bottleneck shows up as pre-training raising I(X;T) and fine-tuning raising I(T;Y).',
        zh: '在大模型训练里，信息瓶颈表现为：预训练提高 I(X;T)，微调提高 I(T;Y)。',
      },
      body: [
        {
          en: 'Tishby’s information bottleneck asks for a representation $T$ of an input $X$ that keeps what predicts a target $Y$ and forgets the rest. It is written as a Lagrangian with a single knob $\\beta$: small $\\beta$ buys forgetting, large $\\beta$ buys prediction. For small discrete problems the optimal encoder can be computed exactly with Blahut–Arimoto-style iterations, and sweeping $\\beta$ traces a curve of $I(T;Y)$ against $I(X;T)$. We compute that curve on a synthetic hierarchy, where theory predicts the $\\beta$ at which the first cluster splits, and on real next-character statistics.',
          zh: 'Tishby 的信息瓶颈要找输入 $X$ 的一个表示 $T$：保留能预测目标 $Y$ 的部分，忘掉其余的。它写成一个只有一个旋钮 $\\beta$ 的拉格朗日量：$\\beta$ 小就偏向遗忘，$\\beta$ 大就偏向预测。对于小的离散问题，可以用类似 Blahut–Arimoto 的迭代精确算出最优编码器；扫过一串 $\\beta$，就描出一条 $I(T;Y)$ 对 $I(X;T)$ 的曲线。我们在一个人造的层级结构上算这条曲线（理论能预言第一次分裂发生在哪个 $\\beta$），也在真实的“下一个字符”统计上算。',
        },
        {
          en: 'The curve shows why the seed’s story does not follow from the theory. Along the optimal frontier the two informations rise *together*: you cannot buy more about $Y$ without keeping more about $X$. The bottleneck describes the best trade-off at one $\\beta$, not an order in which training does things. Pre-training and fine-tuning change the data and the objective, so they are not two ends of one curve. The formula in the seed is correct; the reading of it as a training timeline is not something our experiment, or the theory, can decide — hence the verdict below and its reason.',
          zh: '这条曲线说明了为什么原回答的说法并不能从理论推出。在最优前沿上，两个互信息是**一起**上升的：想多知道一点 $Y$，就必须多保留一点 $X$。瓶颈描述的是某个 $\\beta$ 下的最优权衡，而不是训练先做什么、后做什么。预训练和微调改变的是数据和目标，它们并不是同一条曲线的两端。原回答写的公式是对的；把它读成一份训练时间表，则既不是我们的实验、也不是这个理论能够裁决的——这就是下面判定及其理由的由来。',
        },
      ],
      formulas: [{ tex: String.raw`\min_{p(t\mid x)}\; I(X;T) - \beta\, I(T;Y)`, label: { en: 'the information bottleneck Lagrangian', zh: '信息瓶颈的拉格朗日量' } }],
      llm: {
        en: 'Rate–distortion thinking is still useful in practice: a bottleneck layer, a quantised KV cache or a distilled student all trade bits kept for accuracy lost. Just do not expect the curve to tell you when in training each happens.',
        zh: '率失真的思路在实践中依然有用：瓶颈层、量化的 KV 缓存、蒸馏出的学生模型，都是在“保留多少比特”和“损失多少精度”之间做交换。只是别指望这条曲线告诉你训练中的哪个阶段会发生什么。',
      },
      topics: ['information-bottleneck', 'rate-distortion'],
    },
    {
      id: 'information-plane',
      title: { en: 'The compression phase depends on the nonlinearity', zh: '“压缩阶段”取决于激活函数' },
      experiment: 'information.information-plane',
      claims: ['info.ib-compression-phase'],
      seed: {
        en: 'Deep networks learn in two phases: first they fit the labels, then they compress their representation of the input (Shwartz-Ziv & Tishby).',
        zh: '深度网络的学习分两个阶段：先拟合标签，再压缩对输入的表示（Shwartz-Ziv 与 Tishby 的解读）。',
      },
      body: [
        {
          en: 'In 2017 Shwartz-Ziv and Tishby plotted each layer of a network in the "information plane" — $I(X;T)$ across, $I(T;Y)$ up — during training and saw the layers move right, then left: fitting, then compression. Saxe and colleagues replied a year later that the leftward drift appeared with saturating tanh units and vanished with ReLU, and that the estimate itself (binning each unit’s activation) is fragile. We repeat both networks on the handwritten-digits data with the same binning estimator.',
          zh: '2017 年，Shwartz-Ziv 和 Tishby 在训练过程中把网络的每一层画在“信息平面”上——横轴 $I(X;T)$，纵轴 $I(T;Y)$——看到各层先向右、再向左移动：先拟合，后压缩。一年后 Saxe 等人回应说：向左的漂移出现在会饱和的 tanh 单元上，换成 ReLU 就消失了；而且估计方法本身（把每个单元的激活分箱）很脆弱。我们在手写数字数据上，用同样的分箱估计，把两种网络都重做了一遍。',
        },
        {
          en: 'The verdict is graded, and the figure shows why. The compression is real for one nonlinearity and small for the other, and both networks generalise regardless; so compression is not what makes a network generalise. Wide layers also sit at the estimator’s ceiling, where nearly every input gets its own bin pattern and the "mutual information" measures the bin size as much as the network. This is a general lesson for anyone who estimates information in continuous, high-dimensional activations: report the estimator and check it against a case where the answer is known.',
          zh: '判定是分级的，图说明了原因。压缩对一种激活函数是真的，对另一种则很小；而两种网络都照样能泛化——所以让网络泛化的并不是压缩。宽的层还会顶到估计器的天花板：几乎每个输入都落进自己独有的分箱组合，此时测到的“互信息”反映的更多是分箱大小，而不是网络本身。这对所有想在连续、高维的激活上估计信息的人都是一条普遍的教训：写明用的是哪个估计器，并且先在答案已知的情形下检验它。',
        },
      ],
      llm: {
        en: 'Claims about "information flow" inside a transformer usually rest on such estimators. Before trusting a curve of bits per layer, ask how the bits were estimated and what the estimator returns for a random network.',
        zh: '关于 Transformer 内部“信息流动”的说法，往往建立在这类估计器上。在相信一条“每层多少比特”的曲线之前，先问比特是怎么估出来的，以及同一个估计器对一个随机网络会给出什么。',
      },
      topics: ['information-bottleneck', 'mi-estimation'],
    },
    {
      id: 'distillation',
      title: { en: 'Distillation minimises a KL divergence', zh: '蒸馏在最小化一个 KL 散度' },
      experiment: 'information.distillation',
      claims: ['info.distill-kl', 'info.distill-gpt3-1-40'],
      seed: {
        en: 'Knowledge distillation minimises $D_{\\mathrm{KL}}(p_\\tau\\,\\|\\,q_\\theta)$ between a teacher’s softened distribution and the student’s, transferring "dark knowledge"; in industry it shrinks a GPT-3-scale model to 1/40 of its size while keeping over 90% of its performance.',
        zh: '知识蒸馏最小化教师软化分布与学生分布之间的 $D_{\\mathrm{KL}}(p_\\tau\\,\\|\\,q_\\theta)$，传递“暗知识”；在工业应用中可以把 GPT-3 规模的模型压到原来的 1/40，同时保持 90% 以上的性能。',
      },
      body: [
        {
          en: 'A teacher’s output distribution says more than its top answer: that a "7" looks a bit like a "1" and not at all like a "0". Hinton and colleagues soften the distribution with a temperature $T$ so these small probabilities become visible, and train the student to match it. The loss is a KL divergence with the teacher first — the forward direction, which makes the student cover every mode the teacher puts mass on. Direction matters: the reverse KL would let the student pick one mode and ignore the rest. We check the direction by comparing automatic differentiation against both closed-form gradients, and we check the effect by training small students on a few hundred digits, with and without the teacher, over several seeds.',
          zh: '教师模型输出的分布比它的首选答案包含更多信息：比如“7”有点像“1”，却一点也不像“0”。Hinton 等人用温度 $T$ 把分布软化，让这些很小的概率显现出来，再训练学生去匹配它。损失是教师在前的 KL 散度——正向 KL，它逼着学生覆盖教师放了概率的每一个峰。方向很要紧：反向 KL 会让学生只挑一个峰、忽略其余。我们把自动微分的梯度和两个方向的闭式梯度分别比较来确认方向，再用几百张手写数字、多个随机种子训练带教师和不带教师的小学生模型，来检验效果。',
        },
        {
          en: 'The mechanism reproduces; the industrial number does not have a source. The nearest published result, DistilBERT, is 40% smaller — not one fortieth — and keeps about 97% of its teacher’s benchmark score. A specific ratio attributed to a blog cannot be re-run, so it is marked untestable with that reason, not silently accepted.',
          zh: '机制复现了；那个工业数字却没有出处。最接近的已发表结果 DistilBERT 是小了 40%——不是四十分之一——并保留了教师约 97% 的基准分数。一个出自博客、无法重跑的具体比例，只能标为“无法检验”并写明原因，而不是默默接受。',
        },
      ],
      formulas: [
        { tex: String.raw`\mathcal{L}_{\text{KD}} = T^2\, D_{\mathrm{KL}}\!\left(p_T \,\|\, q_T\right),\quad p_T = \mathrm{softmax}(z_{\text{teacher}}/T)`, label: { en: 'the distillation loss (teacher first)', zh: '蒸馏损失（教师在前）' } },
        { tex: String.raw`\nabla_{z_s}\mathcal{L}_{\text{KD}} = T\,(q_T - p_T)`, label: { en: 'its gradient with respect to the student’s logits', zh: '它对学生 logits 的梯度' } },
      ],
      llm: {
        en: 'Small open models are routinely trained on the soft outputs of larger ones. Which KL direction the recipe uses, and at what temperature, decides whether the student spreads its probability like the teacher or collapses onto the teacher’s favourite answers.',
        zh: '如今小型开源模型常常用大模型的软输出来训练。配方里用哪个方向的 KL、在什么温度下，决定了学生是像教师那样分散概率，还是塌缩到教师最偏爱的答案上。',
      },
      topics: ['rate-distortion'],
    },
  ],
  outro: [
    {
      en: 'What to take away: the loss of a language model is a code length, bounded below by the entropy of the text and made of that entropy plus a divergence; that much is theorem and measurement both. Claims that attention computes information, that training walks a fixed path through the information plane, or that a specific compression ratio holds, need their own evidence — and the experiments above show how to ask for it. To go deeper, read the first chapters of Cover and Thomas for entropy, relative entropy and mutual information, and MacKay for the link between inference and compression; then come back to the [atlas](#/atlas?topic=information) for the path through the prerequisites, or to the [claims page](#/claims?lens=information) for every verdict of this lens at once.',
      zh: '带走什么：语言模型的损失是一个编码长度，下界是文本的熵，它由这个熵加上一个散度构成——这一点既是定理，也是测量。至于“注意力在计算信息”“训练沿着信息平面走一条固定路线”“某个具体的压缩比例成立”，这些都需要各自的证据，而上面的实验演示了该如何去要这些证据。想深入，先读 Cover 与 Thomas 的前几章，弄懂熵、相对熵和互信息；再读 MacKay，看推断和压缩是怎样连在一起的。之后回到[知识地图](#/atlas?topic=information)看前置知识的路线，或者到[论断核查](#/claims?lens=information)一次看完这个透镜的全部判定。',
    },
  ],
  textbooks: ['cover-thomas', 'mackay-itila', 'shannon-weaver', 'yeung-itnc'],
};
