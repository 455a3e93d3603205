/**
 * Chinese descriptions of every experiment parameter, for the lab's zh mode. The experiments'
 * zod schemas carry the English `.describe()` text; this table gives the same meaning in Chinese,
 * written for a learner, without touching the experiment files.
 *
 *   PARAM_TEXT_ZH[experimentId][paramName] = '中文说明'
 *
 * test/foundation/param-text-zh.test.ts checks that every parameter of every registered experiment
 * has an entry here and that no entry names an experiment or a parameter that does not exist, so a
 * new or renamed parameter makes that test fail until this table follows.
 */
export const PARAM_TEXT_ZH: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  // ───────────────────────────── information ─────────────────────────────

  // ───────────────────────────── optimization ─────────────────────────────
  'optimization.newton-vs-first-order': {
    nTrain: '逻辑回归所用的手写数字样本数（行数）',
    pool: '1 = 用全部 64 个像素；2 = 2×2 平均池化后的 16 个像素（问题更小）',
    l2: 'L2 系数 λ：在平均交叉熵上加 (λ/2)‖θ‖²',
    tol: '梯度范数 ‖∇L‖₂ 小于等于 tol 时停止',
    gdMaxIter: '梯度下降和重球法的迭代次数上限（梯度下降超过上限后，按实测的线性收敛率外推）',
    lbfgsMemory: 'L-BFGS 记住的向量对数 m',
    costWidths: '牛顿步代价扫描中的随机 tanh 特征个数 C（参数个数 n = 10(C+1)）',
    costRows: '代价扫描用的数据行数（构造 Hessian 的代价 ∝ 行数 · n²）',
  },
  'optimization.kfac': {
    hidden: '两个隐藏层各自的宽度（单元数）',
    epochs: '每种优化器的训练轮数',
    batch: '每个小批量的样本数（所有优化器相同）',
    kfacLr: 'K-FAC 的学习率 η',
    damping: 'K-FAC 的 Tikhonov 阻尼 γ（给曲率矩阵加上 γI，防止求逆不稳）',
    decay: 'K-FAC 因子滑动平均的衰减系数 ε',
    invEvery: '每隔多少步重新计算一次因子的逆',
    klClip: 'K-FAC 步长的 KL 裁剪阈值 c（0 表示不裁剪）',
    adamLrs: 'Adam 尝试的学习率（保留最好的）',
    sgdLrs: 'SGD 动量法（β=0.9）尝试的学习率（保留最好的）',
    fullWidths: '方形层宽度 d 的取值：在这些宽度上对完整的 n×n 曲率块求逆（n = d²）',
    kfacWidths: '方形层宽度 d 的取值：在这些宽度上对 K-FAC 的两个 d×d 因子求逆',
    costBatch: '代价扫描中构造曲率块所用的样本数',
  },
  'optimization.l2-curvature': {
    hidden: '唯一一个 tanh 隐藏层的宽度（单元数）',
    nTrain: '训练样本数（Hessian 针对的是全部训练数据上的损失）',
    epochs: '每个 λ 用 Adam 训练的轮数（批大小 64，η=3e-3）',
    lambdas: 'L2 扫描的 λ 取值（第一个应为 0，作为不加正则的对照）',
    lanczosSteps: '每条谱用多少步 Lanczos 迭代（即多少次 Hessian-向量乘积）',
    gdSteps: '从每个训练好的点出发做多少步全批量梯度下降（η = 1/λ_max）',
  },
  'optimization.regularization': {
    nTrain: '每个种子的训练样本数',
    hidden: '隐藏层宽度（一层 ReLU）',
    epochs: 'Adam 训练轮数（批大小 32）',
    lr: 'Adam 的学习率 η',
    seeds: '独立种子数（数据划分、初始化和顺序都不同）',
    l2: '损失中的 L2 系数 λ，即加上 (λ/2)‖θ‖²',
    weightDecay: '解耦的权重衰减（每单位 η 的衰减量；AdamW：θ ← θ − ηλθ）',
    dropout: 'Dropout 概率 p：每个隐藏单元被丢弃的概率',
    tuneSeeds: '用多少个种子按验证误差从网格里挑选各正则化强度（0 表示直接用默认值）',
    l2Grid: 'L2 尝试的 λ 取值',
    decayGrid: '解耦权重衰减尝试的取值',
    dropoutGrid: 'Dropout 尝试的丢弃率',
    mcMasks: '用蒙特卡洛方法检验“Dropout 等效于 L2”时采样的掩码个数',
  },
  'optimization.intrinsic-dimension': {
    hidden: 'MLP 64-h-10 的隐藏层宽度（ReLU）',
    epochs: '普通训练和每次子空间训练的轮数',
    lr: 'Adam 的学习率 η（完整参数 θ 和子空间坐标 z 相同）',
    extraHidden: '再加一个更宽的第二隐藏层，也测它的 d_int90（0 表示不加）；Li 等人发现 d_int90 几乎与宽度无关',
    dims: '扫描的子空间维数 d',
    gpt: '是否也测 nano GPT 的 d_int90（用 Fastfood 随机投影 P）',
    gptSteps: 'nano GPT 普通训练的步数（只训练一次，之后缓存），也是每次子空间训练的步数',
    gptSeed: 'nano GPT 的随机种子（子空间训练从普通训练的同一个初始化 θ₀ 出发）',
    gptDims: 'GPT 的子空间维数 d',
    gptLrScale:
      '学习率系数 c：子空间坐标 z 上 Adam 的峰值学习率取 η_z = min(1, c/√d)（预热加余弦）。Adam 每步让每个 z_i 移动约 η，于是 θ₀+Pz 中每个 θ_j 移动约 η√(d/D)；取 c/√d 能让这个幅度不随 d 变化（固定 η = 0.2 在 d ≤ 5000 时可行，到 d = 10⁴ 就失败了；在 d = 10⁴ 时 0.03 优于 0.07）',
    gptBatch: '每步用多少个文本窗口（nano GPT 在透镜实验里的批大小）',
    gptEvalChars: '每次计算 bpc 时打分的留出字符数',
  },
  'optimization.loss-landscape': {
    hidden: 'MLP 64-h-10 的隐藏层宽度（ReLU）',
    epochs: '小批量网络的训练轮数（SGD 动量 β=0.9）',
    lr: 'SGD 动量法的学习率 η',
    largeEpochs: '大批量网络的训练轮数（更多一些，让它的训练损失接近小批量网络）',
    smallBatch: '小批量运行的批大小',
    largeBatch: '大批量运行的批大小',
    grid: '二维切片每条坐标轴上的点数',
    span: '二维切片的半宽度，以按滤波器归一化的方向为单位',
    landscapeRows: '计算切片时用的训练样本数',
    lanczosSteps: '估计尖锐度用的 Lanczos 步数',
    gpt: '是否也对 nano GPT 画一维连线、二维切片并测尖锐度（只训练一次，之后缓存）',
    gptSteps: 'nano GPT 的训练步数（与 optimization.intrinsic-dimension 用同一个模型）',
    gptSeed: 'nano GPT 的随机种子（θ₀ 是它训练开始时的初始化）',
    gptGrid: 'GPT 切片每条坐标轴上的点数（取奇数，中心才落在格点上）',
    gptLinePoints: 'GPT 一维连线 α ∈ [−0.5, 1.5] 上的点数',
    gptEvalChars: '每个 GPT 点上打分的留出（以及训练）字符数',
    gptLanczos: '估计 GPT 尖锐度用的 Lanczos 步数',
    gptHvpEps: '用 tfjs 梯度的中心差分求 GPT 的 Hessian-向量乘积时的步长',
    gptHvpBatch: '测 GPT 尖锐度时固定训练批次里的窗口数',
  },

  // ───────────────────────────── compression ─────────────────────────────
  'compression.sensing': {
    n: '相变图中信号的长度 n',
    deltas: '欠采样率 δ = m/n 的取值（图的各列；要和文献表格比较，必须包含 0.1、0.25、0.5）',
    rhoStep: '稀疏率 ρ = k/m 的步长（图的各行）',
    trials: '每个格子里随机生成多少个问题（矩阵、支撑集和数值都随机）',
    successTol: '相对误差 ‖x̂−x‖/‖x‖ 低于这个值就算恢复成功',
    algorithms: '运行哪些恢复算法（l1：ℓ1 最小化；omp：正交匹配追踪；iht：迭代硬阈值）',
    demoN: '亚奈奎斯特采样演示中信号的长度',
    demoK: '演示信号由多少个 DCT 基（原子）组成',
    demoM: '演示中随机保留多少个时间采样点',
  },
  'compression.quantization': {
    config: '小型 GPT 的规模（src/gpt）',
    steps: '小型 GPT 的训练步数（只训练一次，之后缓存）',
    gptSeed: '小型 GPT 的随机种子（所有透镜实验共用）',
    evalChars: '每次评估打分的留出字符数',
    bits: '扫描的量化位宽',
    groupSize: '每个量化组包含的输入个数（同一组共用缩放系数）',
    calibChars: '计算 GPTQ 所需 Hessian 的训练字符数',
    fisherBatches: '估计对角 Fisher 信息用的批次数',
    budgets: '混合精度的平均每权重比特数预算',
  },
  'compression.lottery-ticket': {
    seeds: '独立种子数（初始化、数据顺序、掩码都不同）',
    rounds: '迭代幅度剪枝（IMP）的轮数（每轮剪 30% 时 12 轮：权重从 100% 剪到 1.6%）',
    pruneRate: '每轮剪掉每个隐藏层剩余权重的比例（输出层只剪一半）',
    epochs: '每个网络训练的 epoch 数，即早停搜索的上限（full 预设、5 个种子：81% 的训练在第 40 个 epoch 之前达到最低验证损失，完整网络平均在第 16.6 个 epoch 达到；训练 30 个 epoch 时只有 70%）',
    optimizer: '所有 MLP 训练用的优化器（Frankle & Carbin 用 Adam 训练 LeNet-300-100）',
    lr: '学习率（Frankle & Carbin：Adam 1.2e-3、批大小 60，在 MNIST 上训练 5 万步；这里是批大小 256 的 200 步——原先 SGD 0.1 训练 15 个 epoch 时，89% 的训练到最后一个 epoch 仍在进步）',
    batchSize: '小批量大小（1,200 张训练图，每个 epoch 5 步；在 tfjs 里步数少、批次大，每个 epoch 更省时间）',
    hidden: '各隐藏层宽度（LeNet-300-100）',
    gpt: '是否也对训练好的小型 GPT 做剪枝',
    gptConfig: '小型 GPT 的规模',
    gptSteps: '小型 GPT 的训练步数（缓存）',
    gptSeed: '小型 GPT 的随机种子',
    evalChars: '每次评估 GPT 打分的留出字符数',
    sparsities: 'GPT 的稀疏度（被剪掉的权重比例）取值',
    impTargets: 'GPT 迭代剪枝：每轮结束时达到的全局稀疏度（递增）',
    impSteps: 'GPT 迭代剪枝：每轮剪枝后的微调步数（掩码固定）',
    impLr: 'GPT 迭代剪枝：每轮微调的峰值学习率（AdamW，余弦降到十分之一，不预热）',
    impDenseControl: '是否也把未剪枝的 GPT 微调同样的步数（作为对照，剪枝曲线要和它比）',
  },
  'compression.distill-gpt': {
    teacher: '教师模型：透镜实验里训练好的这个规模的小型 GPT（缓存）',
    teacherSteps: '教师的训练步数（缓存键的一部分）',
    teacherSeed: '教师的随机种子（所有透镜实验共用）',
    studentWidths: '学生模型的残差宽度 C（层数、头数和上下文与教师相同）；宽度减半约为 ¼ 的参数，减到四分之一约为 1/16',
    studentHeads: '每个学生的注意力头数（每个宽度都必须能被它整除）',
    steps: '每个学生的优化步数（硬目标和软目标相同）',
    temperature: '蒸馏温度 T（教师和学生的 logits 都除以 T，软目标项乘以 T²）；在 1/16 学生上 150 步的预实验里 T = 1 胜过 T = 2',
    alpha: '软目标项的权重 α；剩下的 1 − α 给数据上的交叉熵',
    evalChars: '计算最终 bpc 时打分的留出字符数（取留出 10% 的开头部分）',
    klChars: '测量 D_KL(教师 ‖ 学生) 所用的留出字符数',
    curvePoints: '训练过程中评估几次（用来画 bpc–计算量曲线）',
    curveChars: '曲线上每个点打分的留出字符数',
  },
  'compression.lm-is-compression': {
    orders: 'Kneser–Ney 模型的上下文长度列表',
    config: '小型 GPT 的规模',
    steps: '小型 GPT 的训练步数（缓存）',
    gptSeed: '小型 GPT 的随机种子',
    valChars: '使用的留出字符数（默认全部）',
    modelChars: '用 --model 编码的开头字符数（float64 版 GPT 较慢）',
    tableBits: '上下文混合哈希表的大小（以 2 为底的对数）',
    dict: '是否也把训练集当作字典来编码（zip --dict）',
  },
};

/** The Chinese description of one parameter, if the table has it. */
export function paramTextZh(expId: string, param: string): string | undefined {
  return PARAM_TEXT_ZH[expId]?.[param];
}

/**
 * A parameter's description in the chosen language: in zh, the schema field's own `.meta({ zh })`
 * text, else this table's, else the English; in en, the schema's `.describe()` text.
 */
export function paramText(expId: string, param: string, english: string | undefined, lang: 'zh' | 'en', zh?: string): string | undefined {
  return lang === 'zh' ? (zh ?? paramTextZh(expId, param) ?? english) : english;
}
