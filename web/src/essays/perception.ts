/**
 * The perception lens, as an essay: attention, contrastive alignment of text and images, and
 * physical priors — where LLMs borrow from the study of perception, and where the borrowing is only
 * a metaphor. Measured numbers and verdicts come from results/.
 */
import type { Essay } from './types.js';

export const essay: Essay = {
  lens: 'perception',
  intro: [
    {
      en: 'Perception is the oldest problem in machine learning: turn a flood of raw signals — pixels, sound, characters — into a small number of things that matter. The vocabulary of today\'s models is full of words taken from the study of seeing and hearing: *attention*, *representation*, *alignment*, *prior*. Some of these borrowings are deep and precise; some are only names. A researcher who knows the difference can read papers, and claims, with the right amount of trust.',
      zh: '感知是机器学习里最古老的问题：把海量的原始信号——像素、声音、字符——变成少数真正要紧的东西。今天模型的词汇里满是从视觉和听觉研究中借来的词：*注意力*、*表征*、*对齐*、*先验*。这些借用有的深刻而精确，有的只是名字。知道其中区别的研究者，才能以恰当的信任度去读论文、读论断。',
    },
    {
      en: 'This page looks at three of them. Does self-attention work like the eye\'s saccades and fixations? Does contrastive training of text and images, as in CLIP, learn a joint representation that transfers to new categories? And does building a law of physics into a model make its predictions more physical? Each question gets an experiment small enough to rerun and a verdict derived from criteria declared before the run.',
      zh: '这一页看其中三个。自注意力真的像眼睛的扫视与注视那样工作吗？像 CLIP 那样对文本和图像做对比训练，能否学到一个可以迁移到新类别的联合表征？把一条物理定律写进模型，能否让它的预测更合乎物理？每个问题都配一个小到可以重跑的实验，以及一个由事先声明的判据推出的结论。',
    },
  ],
  sections: [
    {
      id: 'attention',
      title: { en: 'Attention: a soft, learned focus', zh: '注意力：一种柔性的、学出来的聚焦' },
      experiment: 'perception.attention-maps',
      claims: ['perc.attention-saccade', 'perc.attention-cortex'],
      seed: {
        en: 'The seed answer says self-attention borrows the saccade–fixation mechanism of human vision, with learnable queries imitating eye movements, and that attention\'s soft focus closely resembles activity in primate visual cortex.',
        zh: '种子回答说：Transformer 的自注意力借鉴了人类视觉的扫视–注视机制，可学习的查询向量模仿眼动、有选择地聚焦于关键信息；神经科学表明，注意力的柔性聚焦与灵长类视觉皮层的活动模式高度相似。',
      },
      body: [
        {
          en: 'Self-attention computes, for each position, a weighted average of the values at all positions, with weights $\\mathrm{softmax}(q_i^\\top k_j / \\sqrt{d})$. The temperature of that softmax decides how focused the average is: at low temperature nearly all weight lands on the best-matching position — a hard "fixation" — and at high temperature it spreads evenly. Drag the temperature in the figure and watch the focus sharpen and blur.',
          zh: '自注意力为每个位置计算所有位置上值向量的加权平均，权重是 $\\mathrm{softmax}(q_i^\\top k_j / \\sqrt{d})$。这个 softmax 的温度决定了平均有多集中：温度低时，几乎所有权重都落在最匹配的位置上——一次硬性的"注视"；温度高时，权重平均铺开。在图中拖动温度，看聚焦如何变锐、又如何变糊。',
        },
        {
          en: 'Is that a saccade? A saccade is a *sequential* decision: the eye fixates one place at a time, and where it looks next depends on what it just saw. Attention looks everywhere at once, in parallel, with a soft weighting. What the two share is selectivity — most of the signal is ignored. The experiment looks inside the trained tiny GPT for the measurable part: do heads concentrate their weight on few positions (low attention entropy), and do some heads learn a content-dependent jump — the "induction" pattern that looks back to where the current token appeared before and copies what followed? Both are things a hard-coded average could not do.',
          zh: '这算扫视吗？扫视是一种*顺序*决策：眼睛一次注视一个地方，下一步看哪里取决于刚刚看到了什么。注意力则是一次看所有地方，并行地、以柔性的权重。二者共有的是选择性——大部分信号都被忽略了。实验在训练好的小型 GPT 里寻找其中可测的部分：各个头是否把权重集中在少数位置上（注意力熵低）？是否有头学会了依赖内容的"跳跃"——所谓"归纳头"模式：回头找到当前词元上一次出现的位置，并复制它后面的内容？这两件事，都是一个写死的平均做不到的。',
        },
        {
          en: 'The claim about primate visual cortex is of a different kind. Comparing a model\'s attention with recordings from neurons needs the recordings; no experiment on text at our scale can decide it, and the verdict says so and why.',
          zh: '关于灵长类视觉皮层的论断则是另一类。要把模型的注意力与神经元的记录相比较，需要先有这些记录；在我们的规模上，没有哪个文本实验能判定它，结论会说明这一点及其原因。',
        },
        {
          en: 'The temperature matters in training as well as in the figure. The $1/\\sqrt{d}$ factor exists because dot products of random $d$-dimensional vectors grow like $\\sqrt{d}$: without it, wide heads would start out nearly one-hot and pass almost no gradient to the positions they ignore.',
          zh: '温度不只在图里要紧，在训练里也要紧。之所以有 $1/\\sqrt{d}$ 这个因子，是因为两个随机的 $d$ 维向量的点积会像 $\\sqrt{d}$ 那样增长：没有它，宽的注意力头一开始就几乎是独热的，被忽略的位置几乎收不到任何梯度，学习也就无从谈起。这是一个小小的、却能决定训练成败的工程细节。',
        },
      ],
      formulas: [{ tex: '\\mathrm{Attention}(Q,K,V) = \\mathrm{softmax}\\!\\Big(\\frac{QK^\\top}{\\sqrt{d}}\\Big) V', label: { en: 'scaled dot-product attention (Vaswani et al. 2017)', zh: '缩放点积注意力（Vaswani 等 2017）' } }],
      live: 'attention-temperature',
      llm: {
        en: 'Knowing what attention actually computes explains practical facts: why long contexts cost quadratic time, why attention logits can blow up and destabilise training (hence QK-normalisation), why a few "attention sink" tokens collect weight, and how induction heads underpin in-context learning.',
        zh: '知道注意力实际在计算什么，就能解释一些实际现象：为什么长上下文的代价是平方级的；为什么注意力 logit 会爆炸、破坏训练的稳定（所以有 QK 归一化）；为什么少数"注意力汇聚"词元会吸走大量权重；以及归纳头如何支撑起上下文学习。',
      },
      topics: ['attention', 'transformers'],
    },
    {
      id: 'clip',
      title: { en: 'CLIP: learning one space for words and images', zh: 'CLIP：为文字和图像学一个共同的空间' },
      experiment: 'perception.contrastive-alignment',
      claims: ['perc.clip-joint', 'perc.clip-zero-shot', 'perc.clip-formula'],
      seed: {
        en: 'The seed answer says CLIP aligns text and images by contrastive learning, modelling the joint representation of human cross-modal perception; that its zero-shot results validate the unified representation; and it writes CLIP\'s objective as max exp(sim(v,t)/τ) / Σ exp(sim(v,t\')/τ).',
        zh: '种子回答说：CLIP 通过对比学习实现文本–图像对齐，模拟了人类跨模态感知的联合表征机制；它的零样本分类结果验证了这种统一的表征；并把 CLIP 的训练目标写成 max exp(sim(v,t)/τ) / Σ exp(sim(v,t\')/τ)。',
      },
      body: [
        {
          en: 'CLIP (Radford et al. 2021) trains an image encoder and a text encoder together on pairs. In a batch of $N$ pairs, each image should be most similar to its own caption among all $N$ captions, and each caption to its own image among all $N$ images. The loss is a cross-entropy over the batch in both directions — the InfoNCE objective — and minimising it maximises a lower bound on the mutual information between the two views, $I \\ge \\log N - \\mathcal{L}$.',
          zh: 'CLIP（Radford 等 2021）在成对的数据上同时训练一个图像编码器和一个文本编码器。在一个含 $N$ 对样本的批次里，每张图像都应当在全部 $N$ 条描述中与自己的那条最相似，每条描述也应当在全部 $N$ 张图像中与自己的那张最相似。损失是批次内两个方向上的交叉熵——即 InfoNCE 目标——最小化它，就是在最大化两种视图之间互信息的一个下界：$I \\ge \\log N - \\mathcal{L}$。',
        },
        {
          en: 'Notice two details the seed\'s formula drops: the objective is *symmetric* (image-to-text and text-to-image), and what is optimised is its *logarithm*, averaged over the batch. The experiment trains a tiny CLIP on synthetic pictures of shapes with attributes, captioned in English and Chinese, holds out some attribute combinations entirely, and asks whether the model names unseen combinations correctly by comparing a picture with every possible caption — zero-shot classification, judged with an interval against chance. It also trains once with the seed\'s version of the objective, to see what the missing pieces cost.',
          zh: '请注意种子公式漏掉的两个细节：目标是*对称的*（图像到文本、文本到图像两个方向），而且被优化的是它的*对数*，并在批次上取平均。实验在合成的、带属性的形状图片上训练一个小型 CLIP，配有英文和中文描述，完全留出一部分属性组合，然后问：把一张图片和所有可能的描述逐一比较时，模型能否说对从未见过的组合——这就是零样本分类，用相对于随机猜测的置信区间来判断。实验还用种子版本的目标训练一次，看看缺掉的部分代价多大。',
        },
        {
          en: 'Why bilingual captions? Because they make the point of a joint space concrete: an English caption and a Chinese caption of the same picture should land near each other, although the model was never told they are translations — they meet only through the image.',
          zh: '为什么要用中英两种语言的描述？因为这样能把"联合空间"的意义说得具体：同一张图片的英文描述和中文描述，应当落在彼此附近，尽管模型从未被告知它们互为翻译——它们只是通过同一张图片相遇。如果实验里两种语言的零样本准确率相近，说明模型学到的是图像里的内容，而不是某一种语言的字面写法。这正是多语言多模态模型能在一种语言上训练、在另一种语言上使用的原因之一。',
        },
      ],
      formulas: [
        { tex: '\\mathcal{L} = -\\frac{1}{2N}\\sum_{i=1}^{N}\\Big[\\log \\frac{e^{s_{ii}/\\tau}}{\\sum_j e^{s_{ij}/\\tau}} + \\log \\frac{e^{s_{ii}/\\tau}}{\\sum_j e^{s_{ji}/\\tau}}\\Big]', label: { en: "CLIP's symmetric InfoNCE loss", zh: 'CLIP 的对称 InfoNCE 损失' } },
        { tex: 'I(V;T) \\ge \\log N - \\mathcal{L}_{\\text{InfoNCE}}', label: { en: 'the mutual-information bound (van den Oord et al. 2018)', zh: '互信息下界（van den Oord 等 2018）' } },
      ],
      llm: {
        en: 'Multimodal LLMs are built on this idea: a vision encoder trained contrastively (CLIP or SigLIP) produces image features that a language model learns to read. Whether the learned space is a model of *human* perception is a separate, much harder question; what the experiments can show is that contrastive training transfers to unseen combinations, and how well.',
        zh: '多模态大模型就建立在这个思想之上：一个经过对比训练的视觉编码器（CLIP 或 SigLIP）产生图像特征，语言模型再学会去读它们。学到的空间是否是*人类*感知的模型，是另一个难得多的问题；实验能展示的是：对比训练能迁移到没见过的组合上，以及迁移得有多好。',
      },
      topics: ['contrastive-learning', 'multimodal-perception'],
    },
    {
      id: 'physics',
      title: { en: 'Physical priors: building the law into the model', zh: '物理先验：把定律写进模型' },
      experiment: 'perception.physics-prior',
      claims: ['perc.physics-prior'],
      seed: {
        en: 'The seed answer says building physical constraints such as F = ma into a model makes its spatial-reasoning outputs more physically consistent, with clear advantages in robot task planning.',
        zh: '种子回答说：通过引入刚体动力学方程 F = ma 等物理约束，可使模型在解决空间推理问题时获得更符合物理规律的输出；这种方法在机器人任务规划等场景中展现出显著优势。',
      },
      body: [
        {
          en: 'A network that learns to predict the motion of a pendulum from examples has no reason to conserve energy: small errors in each step add up, and over a long rollout the pendulum slowly gains or loses energy it should not. Hamiltonian neural networks (Greydanus et al. 2019) build the structure of mechanics into the model instead: the network learns a single scalar, the energy $H(q, p)$, and the motion is *derived* from it by Hamilton\'s equations. Energy conservation then holds by construction, up to the integrator.',
          zh: '一个从样例中学习预测单摆运动的网络，没有任何理由去守恒能量：每一步的小误差不断累积，在长时间的推演中，单摆会慢慢获得或失去它本不该有的能量。哈密顿神经网络（Greydanus 等 2019）则把力学的结构写进模型：网络只学一个标量——能量 $H(q, p)$——运动由哈密顿方程从它*推导*出来。于是能量守恒由构造保证，误差只来自数值积分器。',
        },
        {
          en: 'That is a physical prior, but it is not quite the seed\'s: Hamilton\'s equations and Newton\'s $F = ma$ describe the same mechanics in different coordinates, and the page says plainly which one is built in. The experiment trains a plain network and a Hamiltonian one on the same noisy observations of a mass on a spring and a pendulum, rolls both out far beyond the training window, and measures the energy drift and the trajectory error. The robot-planning part of the claim is out of reach here and is marked as such.',
          zh: '这是一种物理先验，但和种子说的不完全一样：哈密顿方程与牛顿的 $F = ma$ 是用不同的坐标描述同一套力学，页面会明确说出到底写进去的是哪一个。实验在同样带噪的观测上——一个弹簧振子和一个单摆——分别训练一个普通网络和一个哈密顿网络，让两者远远推演到训练窗口之外，测量能量漂移和轨迹误差。论断中关于机器人规划的部分在这里够不着，并会如实标注。',
        },
      ],
      formulas: [{ tex: '\\dot q = \\frac{\\partial H}{\\partial p}, \\qquad \\dot p = -\\frac{\\partial H}{\\partial q}', label: { en: "Hamilton's equations: the motion from one learned energy", zh: '哈密顿方程：由一个学到的能量推出运动' } }],
      llm: {
        en: 'Language models learn physics only as far as text describes it, and they make physically impossible predictions when asked. Building structure in — conservation laws, symmetries, simulators as tools — is one of the main routes by which models for science and robotics become reliable, and the experiment shows the size of the effect in the simplest setting where it can be measured.',
        zh: '语言模型只能学到文字所描述的那部分物理，被问到时会给出物理上不可能的预测。把结构写进去——守恒律、对称性、把模拟器当作工具——是让面向科学和机器人的模型变得可靠的主要途径之一；这个实验在能测量它的最简单场景里，展示了这种效果有多大。',
      },
      topics: ['physical-priors'],
    },
    {
      id: 'priors-vs-scale',
      title: { en: 'Priors or scale?', zh: '先验，还是规模？' },
      body: [
        {
          en: 'The three sections above pull in two directions. Attention and contrastive learning are *weak* priors: they say little about the world and let data fill in the rest, and they have scaled to trillions of tokens. Hamiltonian networks are a *strong* prior: they hard-wire a law of nature and win decisively when that law applies. Rich Sutton\'s "bitter lesson" argues that, in the long run, general methods that scale with computation beat methods that build in human knowledge. The physics experiment shows the other side of the coin: when the structure is exactly right and the data are few and noisy, building it in is worth a great deal.',
          zh: '上面三节朝着两个方向拉扯。注意力和对比学习是*弱*先验：它们对世界说得很少，剩下的交给数据来填，并且已经扩展到上万亿个词元。哈密顿网络是*强*先验：它把一条自然定律写死在模型里，只要这条定律适用，就能大获全胜。Rich Sutton 的"苦涩的教训"认为，从长远看，能随算力扩展的通用方法，终将胜过把人类知识写进去的方法。物理实验展示的是硬币的另一面：当结构恰好正确、而数据又少又带噪声时，把它写进去的价值非常大。',
        },
        {
          en: 'Perception research offers a way to hold both ideas at once. The visual system is not a blank slate — it has receptive fields, colour opponency and motion detectors shaped by evolution — but it is also tuned by experience throughout life. A good question to ask of any model is therefore not "prior or data?" but "which structure is built in, and what does the data still have to teach it?" For a language model the built-in structure is small: a tokenizer, positions, the attention pattern of a causal transformer. Everything else, including whatever it knows about physics and about seeing, it had to read.',
          zh: '感知研究提供了一种同时容纳两种想法的方式。视觉系统并不是一张白纸——它有感受野、颜色拮抗、运动检测器，这些都是进化塑造的——但它也在一生中不断被经验调校。所以，面对任何模型，好问题都不是"先验还是数据？"，而是"哪些结构是写进去的，数据还需要教会它什么？"对语言模型来说，写进去的结构很少：一个分词器、位置信息、因果 Transformer 的注意力模式。其余的一切，包括它对物理、对"看见"所知道的一切，都是它读来的。这也解释了为什么大模型在物理常识上时而惊艳、时而荒唐：它学到的是文字里的物理，而不是物理本身。',
        },
      ],
      llm: {
        en: 'When a model fails at a task that needs structure — arithmetic, spatial reasoning, conservation laws — the two remedies are more and better data, or a tool or module that carries the structure. Knowing which structure the task needs is a perception question before it is an engineering one.',
        zh: '当一个模型在需要结构的任务上失败时——算术、空间推理、守恒律——补救的办法有两种：更多、更好的数据，或者一个承载这种结构的工具或模块。弄清任务需要哪种结构，首先是一个感知问题，其次才是工程问题。',
      },
      topics: ['perception', 'physical-priors'],
    },
  ],
  outro: [
    {
      en: 'What to take away: attention and contrastive learning are precise mathematical objects with measurable behaviour — focus, induction, transfer — and learning them well pays off immediately when reading LLM papers. The comparisons with eyes, cortex and human perception are inspiring, but they are hypotheses about brains, and they need brain data to test.',
      zh: '带走什么：注意力与对比学习是精确的数学对象，有可以测量的行为——聚焦、归纳、迁移——把它们学好，读大模型论文时立刻就能受益。与眼睛、皮层和人类感知的类比固然令人振奋，但它们是关于大脑的假设，需要大脑的数据才能检验。',
    },
    {
      en: 'To study further: Dayan & Abbott for how neuroscientists model perception, Marr for the levels at which a perceptual system can be explained, Szeliski for computer vision, and Goldstein for Hamiltonian mechanics. The atlas places them after the machine-learning prerequisites.',
      zh: '继续学习：Dayan 与 Abbott 讲神经科学家如何为感知建模；Marr 讲一个感知系统可以在哪些层次上被解释；Szeliski 讲计算机视觉；Goldstein 讲哈密顿力学。知识图谱把它们安排在机器学习的前置知识之后。',
    },
  ],
  textbooks: ['dayan-abbott', 'marr-vision', 'szeliski-cv', 'goldstein-classical-mechanics', 'hubel-eye-brain-vision'],
};
