/**
 * The control lens, as an essay: training is a feedback loop, and the tools of control theory —
 * poles, damping, integral action, Lyapunov functions, saturation — say when it settles and when it
 * blows up. Measured numbers and verdicts are not typed here: the page reads them from results/.
 */
import type { Essay } from './types.js';

export const essay: Essay = {
  lens: 'control',
  intro: [
    {
      en: 'Every training run is a machine that measures its own error and corrects itself. The loss is the sensor, the gradient is the error signal, the learning rate is the gain, and the parameters are the state the loop steers. Engineers have studied machines like this since the governors of steam engines: they call the subject **control theory**, and Norbert Wiener, who gave it the name *cybernetics*, saw in it a theory of every system that learns from feedback.',
      zh: '每一次训练都是一台"测量自己的误差、再自己纠正"的机器。损失是传感器，梯度是误差信号，学习率是增益，参数是这个回路要驾驭的状态。从蒸汽机的离心调速器开始，工程师就在研究这样的机器，这门学问叫**控制论**。维纳给它起名"控制论"（cybernetics）时，看到的正是一切靠反馈来学习的系统的共同理论。',
    },
    {
      en: 'Why would an LLM researcher need it? Because the questions that decide whether a billion-dollar training run finishes are control questions. How large can the step be before the loop oscillates and diverges? Why does momentum speed up an ill-conditioned problem, and when does it overshoot? What should the learning rate do over time, and why do warm-up and decay help? What keeps one bad batch from throwing the parameters off a cliff? Each of these has a precise answer for simple systems, and the answers carry over — sometimes exactly, sometimes only in spirit — to the training of transformers.',
      zh: '大模型研究者为什么需要它？因为决定一次耗资巨大的训练能否跑完的问题，本质上都是控制问题：步长多大，回路就会振荡、发散？为什么动量能加速病态问题，又在什么时候冲过头？学习率应当如何随时间变化，预热和衰减为什么有用？是什么让一个坏批次不至于把参数甩下悬崖？对简单系统，这些问题都有精确的答案；这些答案能带到 Transformer 的训练里——有时一字不差，有时只剩精神。',
    },
    {
      en: 'This page takes the claims the usual answer makes about control and checks each one with an experiment you can rerun. Drag the sliders to see the mechanism; read the verdict underneath to see whether the claim, as stated, survives measurement. A verdict here is never an opinion: each experiment declares its criteria before it runs, and the verdict follows from them.',
      zh: '这一页把常见回答里关于控制的论断逐条拿出来，用你可以亲手重跑的实验来检验。拖动滑块，看机制如何运作；读下方的结论，看这条论断按原话说是否经得起测量。这里的结论从来不是观点：每个实验在运行之前就声明了判据，结论由判据推出。',
    },
  ],
  sections: [
    {
      id: 'feedback',
      title: { en: 'Gradient descent is a feedback loop', zh: '梯度下降是一个反馈回路' },
      experiment: 'control.momentum-dynamics',
      claims: ['control.gd-feedback'],
      seed: {
        en: 'The seed answer says gradient descent θ ← θ − η∇L(θ) is a discrete-time control system with negative feedback.',
        zh: '种子回答说：梯度下降 θ ← θ − η∇L(θ) 是一个体现负反馈的离散时间控制系统。',
      },
      body: [
        {
          en: 'Take the simplest loss there is, a quadratic bowl $L(\\theta) = \\tfrac12 \\theta^\\top A \\theta$. Its gradient is $A\\theta$, so one step of gradient descent is $\\theta_{t+1} = (I - \\eta A)\\,\\theta_t$. That is a linear system, and linear systems are the home ground of control theory: everything about it is decided by the eigenvalues of the matrix $I - \\eta A$, its **poles**. Along an eigen-direction of $A$ with curvature $\\lambda$ the error is multiplied by $1 - \\eta\\lambda$ at every step. If that number lies strictly between −1 and 1 the error shrinks; if it leaves that interval, the loop amplifies its own error and the run diverges.',
          zh: '取最简单的损失——二次碗 $L(\\theta) = \\tfrac12 \\theta^\\top A \\theta$。它的梯度是 $A\\theta$，于是梯度下降的一步就是 $\\theta_{t+1} = (I - \\eta A)\\,\\theta_t$。这是一个线性系统，而线性系统正是控制论的主场：它的一切都由矩阵 $I - \\eta A$ 的特征值——也就是它的**极点**——决定。沿着 $A$ 的一个曲率为 $\\lambda$ 的特征方向，每走一步误差就乘上 $1 - \\eta\\lambda$。只要这个数严格落在 −1 和 1 之间，误差就会缩小；一旦跑出这个区间，回路就会放大自己的误差，训练随之发散。',
        },
        {
          en: 'So the stability condition is $0 < \\eta < 2/\\lambda_{\\max}$: the largest curvature sets the speed limit. Below $1/\\lambda_{\\max}$ the stiffest direction decays smoothly; between $1/\\lambda_{\\max}$ and $2/\\lambda_{\\max}$ it flips sign every step — an oscillation that still converges; past $2/\\lambda_{\\max}$ it explodes. Meanwhile the flattest direction, with curvature $\\lambda_{\\min}$, crawls at rate $1 - \\eta\\lambda_{\\min}$. The ratio $\\kappa = \\lambda_{\\max}/\\lambda_{\\min}$, the **condition number**, is therefore the number of steps you pay: with the best fixed step the error falls by a factor $(\\kappa - 1)/(\\kappa + 1)$ per step.',
          zh: '于是稳定条件是 $0 < \\eta < 2/\\lambda_{\\max}$：最大的曲率决定了速度上限。步长小于 $1/\\lambda_{\\max}$ 时，最陡的方向平滑衰减；在 $1/\\lambda_{\\max}$ 与 $2/\\lambda_{\\max}$ 之间，它每一步都改变符号——一种仍会收敛的振荡；超过 $2/\\lambda_{\\max}$ 就爆炸。与此同时，最平的方向（曲率 $\\lambda_{\\min}$）以 $1 - \\eta\\lambda_{\\min}$ 的速率缓慢爬行。两者之比 $\\kappa = \\lambda_{\\max}/\\lambda_{\\min}$ 叫作**条件数**，它就是你要付出的步数：用最好的固定步长，误差每一步只缩小为原来的 $(\\kappa - 1)/(\\kappa + 1)$ 倍。',
        },
        {
          en: 'Move the step size in the figure across $2/\\lambda_{\\max}$ and watch the iterates go from a smooth slide, to a zig-zag, to an explosion. Nothing here is an analogy: the experiment measures the contraction rate of real iterates and compares it with the poles.',
          zh: '在图中把步长拖过 $2/\\lambda_{\\max}$，看迭代点如何从平滑滑落，变成之字形，再变成爆炸。这里没有任何比喻：实验测的是真实迭代的收缩率，并把它与极点的预测相比较。',
        },
      ],
      formulas: [
        { tex: '\\theta_{t+1} - \\theta^\\star = (I - \\eta A)(\\theta_t - \\theta^\\star)', label: { en: 'gradient descent on a quadratic: a linear feedback loop', zh: '二次函数上的梯度下降：一个线性反馈回路' } },
        { tex: '|1 - \\eta\\lambda_i| < 1 \\iff 0 < \\eta < 2/\\lambda_{\\max}', label: { en: 'every pole inside the unit circle', zh: '所有极点都在单位圆内' } },
      ],
      live: 'step-size',
      llm: {
        en: 'For a transformer the loss is not a quadratic, but near any point it looks like one, with a Hessian whose largest eigenvalue (the *sharpness*) plays the role of $\\lambda_{\\max}$. Practitioners meet the $2/\\lambda_{\\max}$ limit every time a learning rate is too high: the loss spikes, then diverges. Cohen et al. (2021) found that full-batch training even drives the sharpness up until it sits right at $2/\\eta$ — the "edge of stability" — so the feedback view is not only a description; it predicts where training goes.',
        zh: '对 Transformer 来说，损失不是二次函数，但在任何一点附近它都像一个二次函数，其 Hessian 的最大特征值（即"锐度"）扮演 $\\lambda_{\\max}$ 的角色。每当学习率设得过高，实践者都会撞上 $2/\\lambda_{\\max}$ 这条线：损失先出现尖峰，随后发散。Cohen 等人（2021）甚至发现，全批量训练会把锐度一路推高，直到它正好停在 $2/\\eta$ 附近——"稳定性边缘"。所以反馈的视角不只是一种描述，它还能预言训练会走向哪里。',
      },
      topics: ['feedback-stability', 'first-order-methods'],
    },
    {
      id: 'momentum',
      title: { en: 'Momentum: inertia, damping and the square root of κ', zh: '动量：惯性、阻尼与 κ 的平方根' },
      experiment: 'control.momentum-dynamics',
      claims: ['control.momentum-damping'],
      seed: {
        en: 'The seed answer says momentum adds an inertia element to the system and damps oscillation in parameter space.',
        zh: '种子回答说：动量给系统加入了惯性环节，抑制了参数空间中的振荡。',
      },
      body: [
        {
          en: "Heavy-ball momentum keeps a velocity: $v_{t+1} = \\beta v_t - \\eta \\nabla L(\\theta_t)$, $\\theta_{t+1} = \\theta_t + v_{t+1}$. Each eigen-direction becomes a second-order system — a mass on a spring with friction — and its two poles are the roots of $z^2 - (1 + \\beta - \\eta\\lambda) z + \\beta = 0$. That is exactly the language of a physics class: $\\beta$ sets the friction, $\\eta\\lambda$ the stiffness. Too little friction and the ball rings; too much and it creeps; at the right amount it is **critically damped** and settles fastest.",
          zh: '重球动量保留一个速度：$v_{t+1} = \\beta v_t - \\eta \\nabla L(\\theta_t)$，$\\theta_{t+1} = \\theta_t + v_{t+1}$。每个特征方向都变成一个二阶系统——一个挂在弹簧上、带摩擦的质量块——它的两个极点是 $z^2 - (1 + \\beta - \\eta\\lambda) z + \\beta = 0$ 的根。这正是物理课上的语言：$\\beta$ 决定摩擦，$\\eta\\lambda$ 决定刚度。摩擦太小，小球来回振荡；摩擦太大，它慢慢蠕动；恰到好处时系统处于**临界阻尼**，最快停稳。',
        },
        {
          en: "Choose $\\beta$ and $\\eta$ so that every direction sits at or below critical damping and something remarkable happens: the worst-case rate improves from $(\\kappa-1)/(\\kappa+1)$ to $(\\sqrt\\kappa - 1)/(\\sqrt\\kappa + 1)$. For $\\kappa = 100$ that is the difference between about a hundred steps per e-fold of error and about ten. Gabriel Goh's Distill article *Why Momentum Really Works* draws this picture beautifully; the figure below lets you move $\\alpha$ and $\\beta$ yourself and see the iterates ring, creep, or glide.",
          zh: '把 $\\beta$ 和 $\\eta$ 选得让每个方向都处在临界阻尼或其下，就会发生一件了不起的事：最坏情况下的收敛率从 $(\\kappa-1)/(\\kappa+1)$ 提高到 $(\\sqrt\\kappa - 1)/(\\sqrt\\kappa + 1)$。当 $\\kappa = 100$ 时，这意味着误差每缩小 e 倍所需的步数从大约一百步降到大约十步。Gabriel Goh 在 Distill 上的文章《Why Momentum Really Works》把这幅图画得很美；下面的图让你亲手拖动 $\\alpha$ 和 $\\beta$，看迭代点如何振荡、蠕动或滑行。',
        },
        {
          en: 'Notice what the claim gets right and what it gets wrong. Momentum does add inertia — a second state, a second pole. But inertia is what makes a system *oscillate*; momentum does not damp oscillation in general. It trades the zig-zag of plain gradient descent across a narrow valley for a controlled, lightly damped ring along it. The experiment measures both: the rate against Goh\'s formula, and whether oscillation grows or shrinks as $\\beta$ rises.',
          zh: '请留意这条论断说对了什么、说错了什么。动量确实加入了惯性——多了一个状态、多了一个极点。但惯性恰恰是让系统*振荡*的东西；一般而言，动量并不抑制振荡。它把普通梯度下降在狭窄山谷里横向的之字形，换成了沿山谷方向、受控的轻阻尼振荡。实验把两件事都测了：收敛率与 Goh 公式的差距，以及随着 $\\beta$ 增大振荡是增强还是减弱。',
        },
      ],
      formulas: [
        { tex: 'z^2 - (1 + \\beta - \\eta\\lambda)\\,z + \\beta = 0', label: { en: 'the two poles of heavy-ball momentum along one eigen-direction', zh: '重球动量在一个特征方向上的两个极点' } },
        { tex: '\\rho^\\star = \\frac{\\sqrt\\kappa - 1}{\\sqrt\\kappa + 1}', label: { en: 'the optimal rate (Polyak 1964; Goh 2017)', zh: '最优收敛率（Polyak 1964；Goh 2017）' } },
      ],
      live: 'momentum',
      llm: {
        en: 'Adam and AdamW, the optimizers that train almost every LLM, keep a momentum term with $\\beta_1 = 0.9$ — a lightly damped oscillator by design. When a run shows slow, periodic wobbles in its loss, the poles of that oscillator are a good first suspect, and lowering the learning rate or raising $\\beta_2$ are control-theoretic fixes.',
        zh: '几乎训练了所有大模型的 Adam 与 AdamW 都带有 $\\beta_1 = 0.9$ 的动量项——按设计就是一个轻阻尼振荡器。当一次训练的损失出现缓慢、周期性的摆动时，这个振荡器的极点是首要嫌疑；降低学习率或提高 $\\beta_2$，都是控制论意义上的修正。',
      },
      topics: ['feedback-stability', 'first-order-methods'],
    },
    {
      id: 'pid',
      title: { en: 'Adam as a PI controller?', zh: 'Adam 是 PI 控制器吗？' },
      experiment: 'control.pid-optimizer',
      claims: ['control.adam-pi'],
      seed: {
        en: "The seed answer says Adam's adaptive learning rate shows the typical features of proportional–integral control.",
        zh: '种子回答说：Adam 的自适应学习率体现了比例–积分控制的典型特征。',
      },
      body: [
        {
          en: 'A PID controller acts on the error $e_t$ through three paths: proportional ($K_p e_t$, react to the present), integral ($K_i \\sum_s e_s$, remove a persistent offset), derivative ($K_d (e_t - e_{t-1})$, anticipate). Read the gradient as the error and plain gradient descent is a pure integral controller on the parameters: $\\theta$ is the running sum of past gradients. Momentum adds a filtered integral; An et al. (2018) showed that adding a derivative term — a "PID optimizer" — reduces overshoot on deep networks.',
          zh: 'PID 控制器通过三条通路作用于误差 $e_t$：比例（$K_p e_t$，对当下作出反应）、积分（$K_i \\sum_s e_s$，消除持续的偏差）、微分（$K_d (e_t - e_{t-1})$，预判趋势）。把梯度看作误差，普通梯度下降对参数而言就是一个纯积分控制器：$\\theta$ 是过去梯度的累加。动量加入了一个滤波过的积分；An 等人（2018）证明，再加一个微分项——即"PID 优化器"——能减小深度网络训练中的超调。',
        },
        {
          en: "Where does Adam fit? Its first moment $m_t$ is an exponentially weighted sum of gradients — an integral with forgetting. Its second moment $v_t$ divides the step by a running RMS of the gradient, which is not a PID term at all: it is **gain scheduling**, a controller that retunes its own gain from the size of the signal. So the honest answer is: Adam contains an integral-like path and an adaptive gain, and whether that adds up to \"PI control\" is something to measure, not to assert. The experiment fits the update of Adam to a P + I model and reports how much of it such a model explains.",
          zh: '那么 Adam 在哪里？它的一阶矩 $m_t$ 是梯度的指数加权和——一个带遗忘的积分。它的二阶矩 $v_t$ 把步长除以梯度的滑动均方根，这根本不是 PID 中的任何一项，而是**增益调度**：控制器根据信号的大小自己重新调节增益。所以诚实的回答是：Adam 包含一条类似积分的通路和一个自适应增益，它们合起来算不算"PI 控制"，要测量，而不是断言。实验用 P + I 模型去拟合 Adam 的更新，并报告这样的模型能解释其中多少。',
        },
      ],
      formulas: [
        { tex: 'u_t = K_p e_t + K_i \\sum_{s \\le t} e_s + K_d (e_t - e_{t-1})', label: { en: 'a discrete PID controller', zh: '离散 PID 控制器' } },
        { tex: '\\theta_{t+1} = \\theta_t - \\eta\\, \\frac{\\hat m_t}{\\sqrt{\\hat v_t} + \\epsilon}', label: { en: 'Adam: a filtered integral over an adaptive gain', zh: 'Adam：滤波积分除以自适应增益' } },
      ],
      live: 'pid',
      llm: {
        en: 'Thinking of the optimizer as a controller explains why learning-rate warm-up matters for Adam: at the start $v_t$ is a poor estimate, the adaptive gain is wrong, and a small $\\eta$ keeps the loop stable until the gain is calibrated. It also suggests designs — derivative terms, gain limits — that have been tried on transformers with mixed success.',
        zh: '把优化器看作控制器，能解释为什么预热对 Adam 很重要：一开始 $v_t$ 估计得很差，自适应增益是错的，小的 $\\eta$ 让回路在增益校准之前保持稳定。它也启发了一些设计——微分项、增益上限——这些设计在 Transformer 上试过，效果有好有坏。',
      },
      topics: ['pid-control'],
    },
    {
      id: 'lyapunov',
      title: { en: 'Lyapunov functions and the learning rate', zh: '李雅普诺夫函数与学习率' },
      experiment: 'control.lyapunov-lr',
      claims: ['control.lr-lyapunov'],
      seed: {
        en: 'The seed answer says learning-rate schedules must be designed according to Lyapunov stability theory.',
        zh: '种子回答说：学习率调度必须依据李雅普诺夫稳定性理论来设计。',
      },
      body: [
        {
          en: 'A Lyapunov function is an energy that never increases along the trajectories of a system. If you can find one that strictly decreases away from the target, the system is stable — no need to solve the dynamics. For gradient descent the loss itself is the natural candidate: for an $L$-smooth loss, one step changes it by at most $-\\eta(1 - \\tfrac{L\\eta}{2})\\|\\nabla L\\|^2$, so any $\\eta < 2/L$ makes the loss a Lyapunov function. That is the same speed limit we met above, found without eigenvalues.',
          zh: '李雅普诺夫函数是一种沿着系统轨迹永不增加的"能量"。只要能找到一个在目标之外严格下降的这样的函数，系统就是稳定的——不必把动力学解出来。对梯度下降来说，损失本身就是天然的候选：对 $L$-光滑的损失，一步最多让它变化 $-\\eta(1 - \\tfrac{L\\eta}{2})\\|\\nabla L\\|^2$，所以只要 $\\eta < 2/L$，损失就是一个李雅普诺夫函数。这和前面遇到的速度上限是同一条线，只是这次不需要特征值就找到了它。',
        },
        {
          en: 'Does that mean schedules *must* be designed from Lyapunov theory? The experiment asks a measurable version: does the Lyapunov bound predict where training becomes unstable on a real network, and do real, successful training runs stay inside it? Deep networks famously train at learning rates where the loss is *not* monotone — the edge-of-stability regime — so a schedule that obeyed the classical bound would be needlessly slow. The verdict below says how far the bound goes.',
          zh: '这是否意味着学习率调度*必须*依据李雅普诺夫理论来设计？实验问的是一个可测的版本：李雅普诺夫界能否预言真实网络的训练在哪里变得不稳定？真实的、成功的训练是否都待在界内？众所周知，深度网络经常在损失*并不*单调下降的学习率下训练——即稳定性边缘区——所以一个严格遵守经典界的调度会白白慢很多。下面的结论说明了这个界能走多远。',
        },
      ],
      formulas: [{ tex: 'L(\\theta_{t+1}) \\le L(\\theta_t) - \\eta\\Big(1 - \\frac{L\\eta}{2}\\Big)\\|\\nabla L(\\theta_t)\\|^2', label: { en: 'the descent lemma: the loss as a Lyapunov function', zh: '下降引理：把损失当作李雅普诺夫函数' } }],
      llm: {
        en: 'For LLMs the useful lesson is the *local* one: the safe step is set by the current sharpness, which changes during training. Warm-up exists partly because sharpness is high at initialisation; loss spikes late in training are often moments when the sharpness crossed $2/\\eta$.',
        zh: '对大模型而言，有用的是*局部*的教训：安全步长由当前的锐度决定，而锐度在训练中不断变化。预热之所以存在，部分原因是初始化时锐度很高；训练后期的损失尖峰，常常发生在锐度越过 $2/\\eta$ 的时刻。',
      },
      topics: ['lyapunov', 'feedback-stability'],
    },
    {
      id: 'schedules',
      title: { en: 'Schedules: cosine decay and warm restarts', zh: '调度：余弦衰减与热重启' },
      experiment: 'control.schedules',
      claims: ['control.cosine-convergence', 'control.warm-restarts'],
      seed: {
        en: 'The seed answer says cosine annealing guarantees asymptotic convergence, and that periodic restarts move the model between basins and end in a better minimum.',
        zh: '种子回答说：余弦退火保证渐近收敛；周期性重启让模型在损失曲面的不同盆地之间移动，最终到达更好的极小值。',
      },
      body: [
        {
          en: 'With noisy gradients a constant step never settles: the parameters keep bouncing in a cloud whose size grows with $\\eta$. To converge, the gain has to go down. Cosine annealing, $\\eta_t = \\eta_{\\min} + \\tfrac12(\\eta_{\\max} - \\eta_{\\min})(1 + \\cos(\\pi t/T))$, is one smooth way of doing it: large early, when progress is cheap, and small late, when noise dominates. Whether it *guarantees* convergence depends on the floor $\\eta_{\\min}$: with a non-zero floor the noise never vanishes, and the classical Robbins–Monro conditions ($\\sum \\eta_t = \\infty$, $\\sum \\eta_t^2 < \\infty$) are not met.',
          zh: '梯度带噪声时，固定步长永远停不下来：参数一直在一团"云"里跳动，云的大小随 $\\eta$ 增大。要收敛，增益必须降下来。余弦退火 $\\eta_t = \\eta_{\\min} + \\tfrac12(\\eta_{\\max} - \\eta_{\\min})(1 + \\cos(\\pi t/T))$ 是一种平滑的做法：早期步长大，进展廉价；后期步长小，噪声占主导。它能否*保证*收敛，取决于下限 $\\eta_{\\min}$：只要下限不为零，噪声就永不消失，经典的 Robbins–Monro 条件（$\\sum \\eta_t = \\infty$，$\\sum \\eta_t^2 < \\infty$）也就不满足。',
        },
        {
          en: 'Warm restarts (SGDR, Loshchilov & Hutter 2017) jump the learning rate back up every few epochs. The story told about them is that each jump kicks the parameters into a new basin. The experiment tests the measurable core: with several seeds, does a restart schedule end at a lower validation loss than plain cosine with the same budget, by more than the seed-to-seed spread? Drag the schedule shapes in the figure to see what each one asks of the optimizer.',
          zh: '热重启（SGDR，Loshchilov 与 Hutter 2017）每隔几个周期就把学习率重新拉高。流行的解释是：每一次跳升都把参数踢进一个新的盆地。实验检验其中可测的核心：在多个随机种子下，重启调度在同样的预算内，能否比普通余弦调度得到更低的验证损失，而且差距大于种子之间的波动？在图中拖动调度的形状，看每一种调度对优化器提出了什么要求。',
        },
      ],
      formulas: [{ tex: '\\eta_t = \\eta_{\\min} + \\tfrac12(\\eta_{\\max} - \\eta_{\\min})\\big(1 + \\cos(\\pi t / T)\\big)', label: { en: 'cosine annealing', zh: '余弦退火' } }],
      live: 'schedules',
      llm: {
        en: 'Nearly every LLM is trained with linear warm-up followed by cosine (or linear) decay to about a tenth of the peak. Newer recipes — warmup-stable-decay — keep the rate flat and decay only at the end, which makes it cheap to continue training. Restarts are rare at LLM scale: one pass over the data leaves little room for them.',
        zh: '几乎所有大模型都用"线性预热 + 余弦（或线性）衰减到峰值的十分之一左右"来训练。较新的配方——预热–稳定–衰减（WSD）——让学习率保持平稳、只在最后衰减，这样继续训练的成本很低。在大模型的规模上很少使用重启：数据只过一遍，留给重启的余地很小。',
      },
      topics: ['stochastic-optimization', 'optimal-control'],
    },
    {
      id: 'clipping',
      title: { en: 'Gradient clipping: a saturating element', zh: '梯度裁剪：一个饱和环节' },
      experiment: 'control.gradient-clipping',
      claims: ['control.clipping-saturation'],
      seed: {
        en: 'The seed answer says gradient clipping is a saturating nonlinearity that keeps the gradient norm in a stable region and keeps the training of models like GPT-3 numerically stable.',
        zh: '种子回答说：梯度裁剪是一个饱和非线性环节，把梯度范数限制在稳定区域内，保证了 GPT-3 等模型训练的数值稳定。',
      },
      body: [
        {
          en: 'Clipping by global norm replaces $g$ with $g \\cdot \\min(1, \\lambda/\\|g\\|)$. In control terms that is an actuator with a limit: below $\\lambda$ it passes the signal unchanged, above it the output saturates. That part is true by construction — no experiment is needed to show that a clipped norm never exceeds $\\lambda$. What needs an experiment is the second half of the claim: that the saturation *keeps training stable*.',
          zh: '按全局范数裁剪，把 $g$ 换成 $g \\cdot \\min(1, \\lambda/\\|g\\|)$。用控制的话说，这是一个有限幅的执行器：低于 $\\lambda$ 时信号原样通过，高于 $\\lambda$ 时输出饱和。这一半是由构造保证的——不需要任何实验就知道裁剪后的范数不会超过 $\\lambda$。需要实验的是论断的另一半：这种饱和*能让训练保持稳定*。',
        },
        {
          en: "Pascanu, Mikolov and Bengio (2013) explained why recurrent networks need it: their loss surfaces have *cliffs*, narrow walls where the gradient is enormous. One step off a cliff throws the parameters far away and the run is lost. Clipping caps that step. The experiment trains many small recurrent networks at an aggressive learning rate, with and without clipping, counts how many diverge, and judges the difference with an interval over seeds — so a lucky handful of runs cannot decide it.",
          zh: 'Pascanu、Mikolov 与 Bengio（2013）解释了循环网络为什么需要它：它们的损失曲面上有*悬崖*——梯度极大的狭窄陡壁。从悬崖上迈一步，参数就会被甩到远处，这次训练就毁了。裁剪给这一步加了上限。实验在激进的学习率下训练许多个小循环网络，有裁剪与无裁剪各一组，统计有多少发散，并用跨种子的置信区间来判断差异——这样几次侥幸的运行就不能左右结论。',
        },
      ],
      formulas: [{ tex: '\\tilde g = g \\cdot \\min\\!\\Big(1, \\frac{\\lambda}{\\|g\\| + \\epsilon}\\Big)', label: { en: 'clipping by global norm: a saturation', zh: '按全局范数裁剪：一个饱和环节' } }],
      live: 'clipping',
      llm: {
        en: 'GPT-3, LLaMA and nearly every large model clip the global gradient norm at 1.0. Clipping does not fix the cause of a loss spike — bad data, a too-high rate, an attention logit blowing up — but it bounds the damage of a single step, which is often enough for the run to recover.',
        zh: 'GPT-3、LLaMA 以及几乎所有大模型都把全局梯度范数裁剪在 1.0。裁剪并不能消除损失尖峰的根源——坏数据、过高的学习率、注意力 logit 的爆炸——但它限制了单步造成的损害，这往往足以让训练自己恢复过来。',
      },
      topics: ['saturation-clipping'],
    },
  ],
  outro: [
    {
      en: 'What to take away: the parts of the control story that are exact — poles, the $2/\\lambda_{\\max}$ limit, the $\\sqrt\\kappa$ speed-up of momentum, saturation — are worth learning properly, because they let you reason about a training run before you launch it. The parts that are loose — "Adam is PI control", "schedules must come from Lyapunov theory", "restarts find better basins" — are hypotheses, and this page shows how each fares when measured.',
      zh: '带走什么：控制论故事里那些精确的部分——极点、$2/\\lambda_{\\max}$ 的界、动量带来的 $\\sqrt\\kappa$ 加速、饱和——值得认真学好，因为它们让你在启动一次训练之前就能推理它。那些松散的部分——"Adam 就是 PI 控制"、"调度必须来自李雅普诺夫理论"、"重启能找到更好的盆地"——只是假设，这一页展示了它们在测量面前的表现。',
    },
    {
      en: 'To go further, read a feedback-control text for poles, damping and PID (Åström & Murray is free and friendly), a nonlinear-systems text for Lyapunov functions (Khalil), and then Nesterov or Nocedal & Wright to see the same ideas in the language of optimization. The atlas lays out the order.',
      zh: '想更进一步：先读一本反馈控制教材，学极点、阻尼和 PID（Åström 与 Murray 的书免费且友好）；再读一本非线性系统教材，学李雅普诺夫函数（Khalil）；然后读 Nesterov 或 Nocedal 与 Wright，在优化的语言里再见到同样的思想。知识图谱里排好了阅读顺序。',
    },
  ],
  textbooks: ['astrom-murray', 'khalil-nonlinear-systems', 'strogatz-nonlinear-dynamics', 'nesterov-lectures', 'nocedal-wright', 'wiener-cybernetics'],
};
