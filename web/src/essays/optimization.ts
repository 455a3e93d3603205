/**
 * The optimization lens, as an essay: training an LLM is minimising a loss over millions to
 * billions of numbers, and the geometry of that loss — curvature, conditioning, low-dimensional
 * structure, regularization — decides what works. Measured numbers and verdicts come from results/.
 */
import type { Essay } from './types.js';

export const essay: Essay = {
  lens: 'optimization',
  intro: [
    {
      en: 'A language model is a function with a great many knobs, and training is the search for a setting of the knobs that makes the next token less surprising. That search is **optimization**: a loss function, a direction to move in, a step size, and a stopping rule. It sounds like a solved problem — follow the gradient downhill — until you notice that the landscape has more dimensions than there are atoms in a grain of sand, that it is curved very differently in different directions, and that every step is measured on a noisy sample of the data.',
      zh: '语言模型是一个带着海量旋钮的函数，训练就是寻找一组旋钮的取值，让下一个词不再那么出人意料。这种寻找就是**优化**：一个损失函数、一个前进方向、一个步长、一条停止规则。听起来像是已经解决的问题——顺着梯度往下走就行——直到你注意到：这片地形的维数比一粒沙里的原子还多，它在不同方向上的弯曲程度天差地别，而每一步都只是在数据的一个带噪样本上量出来的。',
    },
    {
      en: 'Optimization theory gives the vocabulary for all of this. Curvature and the Hessian tell you how far a step can go. The condition number tells you how many steps you will need. Second-order methods use curvature to take better steps, at a price. Regularization changes the landscape itself. And the observation that trained networks live on surprisingly low-dimensional structure changes how we fine-tune them. This page checks what the usual answer claims about each of these, with experiments small enough to rerun in your browser or terminal.',
      zh: '优化理论为这一切提供了语言。曲率和 Hessian 告诉你一步能走多远；条件数告诉你要走多少步；二阶方法利用曲率走出更好的一步，但要付出代价；正则化则改变地形本身。而"训练好的网络落在出人意料的低维结构上"这一观察，改变了我们微调它们的方式。这一页用小到能在浏览器或终端里重跑的实验，检验常见回答对其中每一点的说法。',
    },
  ],
  sections: [
    {
      id: 'newton',
      title: { en: "Newton's method: curvature buys speed", zh: '牛顿法：用曲率换速度' },
      experiment: 'optimization.newton-vs-first-order',
      claims: ['opt.newton-quadratic'],
      seed: {
        en: 'The seed answer says second-order methods like Newton converge quadratically near the optimum but cost O(n³) per step.',
        zh: '种子回答说：牛顿法这样的二阶方法在最优点附近二次收敛，但每一步的代价是 O(n³)。',
      },
      body: [
        {
          en: "Gradient descent only knows the slope. Newton's method also uses the curvature: it models the loss near $\\theta$ by a quadratic, $L(\\theta + d) \\approx L + g^\\top d + \\tfrac12 d^\\top H d$, and jumps straight to that quadratic's minimum, $d = -H^{-1} g$. On an exact quadratic it arrives in one step, whatever the condition number. Near a smooth minimum of any loss the error roughly *squares* every step — $10^{-2}$, $10^{-4}$, $10^{-8}$ — which is what \"quadratic convergence\" means: the number of correct digits doubles.",
          zh: '梯度下降只知道坡度。牛顿法还利用曲率：它在 $\\theta$ 附近用一个二次函数 $L(\\theta + d) \\approx L + g^\\top d + \\tfrac12 d^\\top H d$ 来近似损失，然后直接跳到这个二次函数的最小点 $d = -H^{-1} g$。对一个精确的二次函数，不管条件数多大，它一步就到。在任何光滑损失的极小点附近，误差每一步大致被*平方*——$10^{-2}$、$10^{-4}$、$10^{-8}$——这就是"二次收敛"的含义：正确的位数每一步翻一倍。',
        },
        {
          en: 'The price is the linear solve $H d = -g$. With $n$ parameters the Hessian has $n^2$ entries, and a direct (Cholesky) solve costs about $n^3/3$ multiply-adds. For a million parameters that is $3 \\times 10^{17}$ operations per step: impossible. The experiment measures both sides on real runs: the order of convergence from the errors of successive iterates, and the wall time of the solve at several sizes, with the slope of the log–log fit and its interval.',
          zh: '代价是线性方程组 $H d = -g$。有 $n$ 个参数时，Hessian 有 $n^2$ 个元素，用直接法（Cholesky 分解）求解大约需要 $n^3/3$ 次乘加。一百万个参数时，每一步就是 $3 \\times 10^{17}$ 次运算：不可能。实验在真实运行上测量两边：从相邻迭代的误差测出收敛阶，并在多个规模上测出求解的实际耗时，给出对数–对数拟合的斜率及其置信区间。',
        },
        {
          en: 'Between the two extremes sit the methods people actually use on large problems. Quasi-Newton methods such as L-BFGS build a low-rank picture of the curvature from the last few gradients, at a cost linear in $n$. Conjugate gradients solve $H d = -g$ approximately with only Hessian–vector products, which automatic differentiation gives for the price of two gradients. Each trades some of Newton\'s speed for a cost that scales.',
          zh: '在这两个极端之间，是人们在大问题上真正使用的方法。L-BFGS 这类拟牛顿法用最近几步的梯度拼出曲率的一个低秩画像，代价与 $n$ 成线性关系。共轭梯度法只用 Hessian 与向量的乘积来近似求解 $H d = -g$，而自动微分只需大约两次梯度的代价就能给出这种乘积。它们都用牛顿法的一部分速度，换来一个能随规模扩展的代价。为什么这很重要？因为在一个有上亿参数的模型上，连把 Hessian 存下来都做不到，更不用说分解它；能用的只有"与向量相乘"这类隐式的操作。理解了精确的牛顿法，才能看清这些近似各自放弃了什么、保留了什么。',
        },
      ],
      formulas: [
        { tex: 'd = -H^{-1}\\nabla L(\\theta)', label: { en: 'the Newton step', zh: '牛顿步' } },
        { tex: '\\|\\theta_{t+1} - \\theta^\\star\\| \\le C\\,\\|\\theta_t - \\theta^\\star\\|^2', label: { en: 'quadratic convergence near a minimum', zh: '极小点附近的二次收敛' } },
      ],
      llm: {
        en: 'No LLM is trained with Newton steps, but the idea is everywhere: Adam divides by a running estimate of the gradient scale, a cheap diagonal stand-in for curvature; Shampoo and SOAP precondition each weight matrix with small matrix factors. Knowing what the exact method buys tells you what these approximations are reaching for.',
        zh: '没有哪个大模型是用牛顿步训练的，但这个思想无处不在：Adam 除以梯度尺度的滑动估计，是曲率的一个廉价对角替身；Shampoo 和 SOAP 用小的矩阵因子为每个权重矩阵做预条件。知道精确方法能换来什么，就知道这些近似想要抓住什么。',
      },
      topics: ['second-order-methods', 'numerical-methods'],
    },
    {
      id: 'kfac',
      title: { en: 'K-FAC: the Hessian as a Kronecker product', zh: 'K-FAC：把 Hessian 写成克罗内克积' },
      experiment: 'optimization.kfac',
      claims: ['opt.kfac-n15', 'opt.kfac-finetune'],
      seed: {
        en: 'The seed answer says K-FAC, assuming block-diagonal structure and factoring the Hessian as a Kronecker product, brings the cost down to O(n^1.5), and shows a clear advantage when fine-tuning very large models.',
        zh: '种子回答说：K-FAC 假设块对角结构、把 Hessian 分解为克罗内克积，把代价降到 O(n^1.5)，并在微调超大模型时优势明显。',
      },
      body: [
        {
          en: 'Martens and Grosse (2015) noticed that for one dense layer with input $a$ and output gradient $g$, the layer\'s block of the Fisher matrix is $\\mathbb{E}[(a a^\\top) \\otimes (g g^\\top)]$, and that it is well approximated by the Kronecker product of two small expectations, $A \\otimes G$. The inverse of a Kronecker product is the Kronecker product of the inverses, so instead of inverting an $n \\times n$ block with $n = d_{\\text{in}} d_{\\text{out}}$ you invert a $d_{\\text{in}} \\times d_{\\text{in}}$ and a $d_{\\text{out}} \\times d_{\\text{out}}$ matrix. For a square layer, $d^3$ instead of $d^6$ — that is $n^{1.5}$ instead of $n^3$, which is where the seed\'s exponent comes from.',
          zh: 'Martens 与 Grosse（2015）注意到：对一个输入为 $a$、输出梯度为 $g$ 的全连接层，Fisher 矩阵中属于这一层的块是 $\\mathbb{E}[(a a^\\top) \\otimes (g g^\\top)]$，而它可以很好地用两个小期望的克罗内克积 $A \\otimes G$ 来近似。克罗内克积的逆等于逆的克罗内克积，所以不必去求一个 $n \\times n$ 块（$n = d_{\\text{in}} d_{\\text{out}}$）的逆，只需求一个 $d_{\\text{in}} \\times d_{\\text{in}}$ 和一个 $d_{\\text{out}} \\times d_{\\text{out}}$ 矩阵的逆。对方形层，代价从 $d^6$ 降到 $d^3$——也就是从 $n^3$ 降到 $n^{1.5}$，种子回答里的指数正是由此而来。',
        },
        {
          en: "An exponent derived by counting is true by construction; the experiment therefore measures it — the wall time of inverting the full block against the two factors, over a range of layer sizes. The second claim, about fine-tuning, is an empirical one, and it can be tested at our scale: start from a pretrained network, fine-tune it on a shifted task with K-FAC and with Adam from the same point, and compare how fast each reaches a target validation loss, over several seeds.",
          zh: '靠数运算次数推出的指数是由构造保证的；所以实验去测量它——在一系列层宽上，比较求整个块的逆与求两个因子的逆所需的实际时间。第二条关于微调的论断是经验性的，在我们的规模上就能检验：从一个预训练好的网络出发，在一个偏移了的任务上分别用 K-FAC 和 Adam 从同一起点微调，比较它们在多个种子下各需多快到达目标验证损失。',
        },
      ],
      formulas: [
        { tex: 'F_\\ell \\approx A_{\\ell-1} \\otimes G_\\ell, \\quad (A \\otimes G)^{-1} = A^{-1} \\otimes G^{-1}', label: { en: 'the K-FAC approximation and why it is cheap', zh: 'K-FAC 近似，以及它为何便宜' } },
      ],
      llm: {
        en: 'Kronecker-factored preconditioners are the basis of Shampoo, which has trained large transformers faster than AdamW per step in several reports. Their cost is the occasional inversion of $d \\times d$ factors per layer — affordable for $d$ in the thousands — and their benefit depends on how stale those factors can be allowed to get.',
        zh: '克罗内克分解的预条件子是 Shampoo 的基础；在好几份报告里，它按步数计比 AdamW 更快地训练了大型 Transformer。它们的代价是每层偶尔求一次 $d \\times d$ 因子的逆——对几千维的 $d$ 来说负担得起——而收益取决于这些因子可以容忍多陈旧。',
      },
      topics: ['second-order-methods'],
    },
    {
      id: 'curvature',
      title: { en: 'Weight decay, dropout and the shape of the loss', zh: '权重衰减、Dropout 与损失的形状' },
      experiment: 'optimization.regularization',
      claims: ['opt.l2-curvature', 'opt.decay-dropout-15-20', 'opt.dropout-implicit'],
      seed: {
        en: 'The seed answer says an L2 penalty reshapes the curvature of the loss, that dropout acts as an implicit regularizer, and that weight decay with dropout lowers test error by 15–20%.',
        zh: '种子回答说：L2 惩罚改变了损失的曲率；Dropout 是一种隐式正则化；权重衰减与 Dropout 结合能让测试误差降低 15–20%。',
      },
      body: [
        {
          en: 'Adding $\\tfrac{\\mu}{2}\\|\\theta\\|^2$ to a loss adds $\\mu$ to every eigenvalue of its Hessian. Flat directions — the ones the data does not constrain — stop being flat: the smallest curvature becomes at least $\\mu$, the condition number drops, and the minimum becomes unique. That is the geometry of ridge regression, and it is measurable exactly: compute the Hessian spectrum with and without the penalty and compare.',
          zh: '在损失上加 $\\tfrac{\\mu}{2}\\|\\theta\\|^2$，就给它 Hessian 的每一个特征值都加上 $\\mu$。平坦的方向——数据没有约束的那些方向——不再平坦：最小曲率至少变成 $\\mu$，条件数下降，极小点变得唯一。这就是岭回归的几何，而且可以精确测量：分别算出有无惩罚时的 Hessian 谱，加以比较。',
        },
        {
          en: 'Dropout is subtler. Wager, Wang and Liang (2013) showed that, for generalized linear models, dropout is approximately an adaptive L2 penalty that punishes weights on features that vary a lot. Whether that makes a network generalize better — and by how much — is an empirical question that depends on the data and the model size. The "15–20%" in the seed has no source; the experiment measures test error over ten seeds with and without each regularizer, and the verdict compares the interval with the number.',
          zh: 'Dropout 更微妙。Wager、Wang 与 Liang（2013）证明，对广义线性模型，Dropout 近似于一种自适应的 L2 惩罚，专门惩罚那些落在变化剧烈的特征上的权重。它能否让网络泛化得更好——以及好多少——是一个取决于数据和模型大小的经验问题。种子回答里的"15–20%"没有出处；实验在十个随机种子下测量有无各种正则化时的测试误差，结论把置信区间与这个数字相比较。',
        },
      ],
      formulas: [
        { tex: '\\nabla^2\\big(L + \\tfrac{\\mu}{2}\\|\\theta\\|^2\\big) = \\nabla^2 L + \\mu I', label: { en: 'L2 lifts every eigenvalue by μ', zh: 'L2 把每个特征值抬高 μ' } },
        { tex: '\\mathbb{E}_{\\text{drop}}[\\text{loss}] \\approx \\text{loss} + \\tfrac{p}{1-p}\\sum_j \\theta_j^2\\, \\mathrm{Var}[x_j]', label: { en: 'dropout as an adaptive L2 penalty (Wager et al. 2013, GLMs)', zh: 'Dropout 是自适应的 L2 惩罚（Wager 等 2013，广义线性模型）' } },
      ],
      llm: {
        en: 'Large language models are trained with AdamW weight decay of about 0.1 and, for the biggest runs on deduplicated data, usually without dropout: with one pass over the data there is little overfitting to prevent. Weight decay there acts less as a regularizer than as a control on the size of the weights, which interacts with the learning rate and normalisation layers.',
        zh: '大型语言模型通常用 0.1 左右的 AdamW 权重衰减来训练；在去重数据上的最大规模训练里，一般不用 Dropout：数据只过一遍，几乎没有需要防止的过拟合。在那里，权重衰减与其说是正则化，不如说是在控制权重的大小，它与学习率和归一化层相互作用。',
      },
      topics: ['convex-analysis', 'machine-learning'],
    },
    {
      id: 'intrinsic',
      title: { en: 'Intrinsic dimension: how many directions matter?', zh: '内在维度：有多少个方向真正重要？' },
      experiment: 'optimization.intrinsic-dimension',
      claims: ['opt.low-dim-manifold'],
      seed: {
        en: 'The seed answer says research reveals a low-dimensional manifold in parameter space, so an optimization over 10^8 parameters can be carried out in a space of about 10^3 dimensions.',
        zh: '种子回答说：研究发现参数空间中存在低维流形，通过流形投影，可以在约 10^3 维的空间里完成对 10^8 个参数的优化。',
      },
      body: [
        {
          en: 'Li, Farkhoor, Liu and Yosinski (2018) asked a clean question: if you freeze a network at its random initialization $\\theta_0$ and only allow it to move in a random $d$-dimensional subspace, $\\theta = \\theta_0 + P z$ with $z \\in \\mathbb{R}^d$, how large must $d$ be to reach 90% of the performance of ordinary training? They called that $d$ the **intrinsic dimension** of the task. For MNIST with a 200,000-parameter network it was about 750 — a tiny fraction.',
          zh: 'Li、Farkhoor、Liu 与 Yosinski（2018）提出了一个干净的问题：如果把网络冻结在随机初始化 $\\theta_0$，只允许它在一个随机的 $d$ 维子空间里移动，$\\theta = \\theta_0 + P z$，$z \\in \\mathbb{R}^d$，那么 $d$ 要多大，才能达到普通训练 90% 的效果？他们把这个 $d$ 称为任务的**内在维度**。对一个有二十万参数、在 MNIST 上训练的网络，它大约是 750——极小的一部分。',
        },
        {
          en: 'The experiment repeats this on the digits MLP and on the tiny GPT, with a Fastfood transform for $P$ so that even tens of thousands of directions are cheap. The seed\'s version is stronger: a ratio of $10^5$ between the full and the intrinsic dimension. The verdict compares the measured ratio, with the grid of $d$ fixed in advance and the reference run converged, against that claim.',
          zh: '实验在手写数字 MLP 和小型 GPT 上重做了这件事，用 Fastfood 变换来实现 $P$，这样即使几万个方向也很便宜。种子回答的说法更强：全维数与内在维度之比达到 $10^5$。结论把实测的比值——$d$ 的网格事先固定、参照训练已收敛——与这一说法相比较。',
        },
      ],
      formulas: [{ tex: '\\theta = \\theta_0 + P z,\\quad P \\in \\mathbb{R}^{D \\times d},\\ d \\ll D', label: { en: 'training in a random subspace', zh: '在随机子空间中训练' } }],
      llm: {
        en: 'This is the intuition behind LoRA: fine-tuning a pretrained LLM changes its weights by a matrix of low rank, so training two thin matrices instead of the full one loses little. Aghajanyan et al. (2021) measured intrinsic dimensions of a few hundred to a few thousand for fine-tuning large pretrained models — the larger the model, the smaller.',
        zh: '这正是 LoRA 背后的直觉：微调一个预训练的大模型时，权重的变化是一个低秩矩阵，所以只训练两个细长的矩阵而不是整个矩阵，几乎没有损失。Aghajanyan 等人（2021）测得，微调大型预训练模型的内在维度只有几百到几千——而且模型越大，内在维度越小。',
      },
      topics: ['loss-landscapes', 'linear-algebra'],
    },
    {
      id: 'landscape',
      title: { en: 'Looking at the landscape', zh: '看一看这片地形' },
      experiment: 'optimization.loss-landscape',
      body: [
        {
          en: 'A loss in thousands of dimensions cannot be drawn, but slices of it can: a line from the initialization to the trained weights, or a plane through the trained weights spanned by two random directions scaled to each layer\'s size (the "filter normalization" of Li et al. 2018). The slices of a trained network tend to show a single wide basin around the solution, with no barrier on the straight path from the start — a hint of why simple first-order methods work as well as they do.',
          zh: '几千维的损失画不出来，但它的切片可以：从初始化到训练后权重的一条直线，或者一个穿过训练后权重、由两个随机方向张成的平面，这两个方向按每一层的大小缩放（Li 等人 2018 的"滤波归一化"）。训练好的网络的切片往往在解附近呈现一个宽阔的盆地，从起点出发的直线路径上没有障碍——这暗示了为什么简单的一阶方法表现得如此之好。',
        },
        {
          en: 'Be careful what a slice can and cannot show. A random plane through millions of dimensions almost never passes through the directions where the loss is sharpest, so such pictures make landscapes look smoother than they are; the Hessian\'s top eigenvalue, measured directly, is the honest number for sharpness. Use the slices for intuition and the spectrum for claims.',
          zh: '要小心切片能说明什么、不能说明什么。一个穿过几百万维空间的随机平面，几乎永远不会经过损失最陡的那些方向，所以这样的图会让地形看起来比实际更平滑；直接测出的 Hessian 最大特征值，才是衡量锐度的诚实数字。用切片来培养直觉，用谱来下结论。换句话说，一张漂亮的地形图只是一个样本，而不是证据：它告诉你"这里可能是什么样子"，而特征值告诉你"这里确实是什么样子"。在阅读关于大模型损失地形的论文时，先问一问图是怎么切出来的，再决定相信多少。',
        },
      ],
      llm: {
        en: 'Flatness of the basin around the final weights has been linked to how well a model generalizes and to how robust it is to quantization; sharpness-aware minimization (SAM) deliberately seeks flatter basins. For LLMs these remain active research questions rather than settled facts.',
        zh: '最终权重周围盆地的平坦程度，被认为与模型的泛化能力以及它对量化的稳健性有关；锐度感知最小化（SAM）就是有意去寻找更平坦的盆地。对大模型而言，这些仍是活跃的研究问题，而不是定论。',
      },
      topics: ['loss-landscapes'],
    },
  ],
  outro: [
    {
      en: 'What to take away: the exact statements — Newton\'s quadratic convergence, the cost of a dense solve, the Kronecker trick, how L2 shifts the spectrum — are tools you can use to reason about any optimizer you meet. The broad statements — "a clear advantage when fine-tuning", "15–20% lower error", "10^8 parameters in 10^3 dimensions" — are empirical, and the experiments above show how far they hold at a scale you can check yourself.',
      zh: '带走什么：那些精确的陈述——牛顿法的二次收敛、稠密求解的代价、克罗内克技巧、L2 如何平移谱——是你面对任何优化器时都能用来推理的工具。那些宽泛的陈述——"微调时优势明显"、"误差降低 15–20%"、"在 10^3 维里优化 10^8 个参数"——是经验性的，上面的实验展示了它们在一个你能亲自检验的规模上成立到什么程度。',
    },
    {
      en: 'To study further: Boyd & Vandenberghe for convexity and duality, Nocedal & Wright for Newton, quasi-Newton and line searches, Nesterov\'s lectures for the complexity of first-order methods, and Goodfellow, Bengio & Courville (chapter 8) for what changes in deep learning. The atlas orders them with their prerequisites.',
      zh: '继续学习：Boyd 与 Vandenberghe 讲凸性与对偶；Nocedal 与 Wright 讲牛顿法、拟牛顿法和线搜索；Nesterov 的讲义讲一阶方法的复杂度；Goodfellow、Bengio 与 Courville 的第 8 章讲在深度学习里什么变了。知识图谱按前置知识给它们排好了顺序。',
    },
  ],
  textbooks: ['boyd-convex', 'nocedal-wright', 'nesterov-lectures', 'goodfellow-dl', 'polyak-intro-opt'],
};
