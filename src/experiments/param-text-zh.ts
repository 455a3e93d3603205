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
  'information.entropy-rate': {
    corpus: '用哪一份自带语料来建模',
    maxOrder: '最长的上下文长度 n（字符数）；会拟合 0 阶到 n 阶的全部模型',
    maxChars: '只用语料的前 maxChars 个字符（tiny shakespeare 全文共 1,115,394 个字符）',
    trainFraction: '用来计数（训练）的文本比例，其余部分留作测试',
  },
  'information.bottleneck-curve': {
    corpus: '用哪份语料来统计“前一个字符 → 下一个字符”的联合分布',
    maxChars: '参与计数的语料字符数（tiny shakespeare 共 1,115,394 个）',
    topChars: '只保留出现最多的这么多个字符（x 和 y 都在其中）；65 即 tiny shakespeare 的全部字符',
    clusters: '文本联合分布中压缩变量 T 的取值个数上限（槽位数；实际用到的个数会被测出来）',
    betaMin: '最小的 β（无量纲的权衡系数：β 越大越看重保留关于 y 的信息）',
    betaMax: '最大的 β',
    betaSteps: '取多少个 β 值（在对数尺度上均匀分布）',
    maxIter: '每个 β 最多迭代多少次信息瓶颈算法（p(t|x) 的变化小于 1e-7 时提前停止）',
  },
  'information.distillation': {
    seeds: '独立重复的次数（数据划分、教师、学生数据和初始化都重新抽取）；要给出均值 ± 标准差至少需要 5 次',
    temperatures: '蒸馏温度 T 的取值列表（温度越高，教师给出的软目标越平滑）',
    alpha: '软目标（KL 散度）项的权重 α；剩下的 1 − α 给真实标签上的交叉熵',
    teacherHidden: '教师网络的隐藏层宽度（一层 ReLU）',
    teacherEpochs: '教师网络训练的轮数（Adam，学习率 2e-3，批大小 32）',
    studentHidden: '学生网络的隐藏层宽度（一层 ReLU）',
    studentRows: '学生能看到的训练样本数（教师看到全部 1,300 个）',
    studentEpochs: '学生网络训练的轮数（Adam，学习率 3e-3，批大小 32）',
    testRows: '留作测试的手写数字样本数',
  },
  'information.information-plane': {
    hidden: '各隐藏层的宽度（输入 64 维，输出 10 类）',
    bins: '分箱估计互信息时，每个神经元的取值被均分成多少个箱（Shwartz-Ziv 与 Tishby 用的是 30）',
    epochs: '训练轮数（Adam，批大小 64）',
    lr: 'Adam 的学习率',
    snapshots: '在多少个（对数间隔的）训练轮次上测量信息量',
    compressionBits:
      'I(X;T) 越过峰值后下降超过这么多比特，才算出现了“压缩阶段”；ReLU 层按每轮都在变化的最大值分箱，本身就会有约 0.2 比特的抖动',
  },
  'information.cross-entropy-decomposition': {
    corpus: '用来构造信源马尔可夫链和真实文本模型的语料（精确的马尔可夫信源需要较小的字母表）',
    sourceOrder: '马尔可夫信源的阶数 k（看前几个字符）',
    sampleChars: '从信源采样多少个字符来训练模型',
    testChars: '从信源采样多少个字符来给模型打分',
    modelOrders: '在样本上拟合的模型最高阶数 M',
    realOrders: '在真实文本上用 Kneser–Ney 平滑拟合的最高阶数',
    maxChars: '使用语料的字符数',
    gpt: '是否也给小型 GPT 打分（nano 与 information.attention-mi 共用同一个模型，baby 训练 2000 步，与 gpt.train 的 full 预设共用）；none 表示不用',
    gptSteps: 'GPT 的训练步数（只在 gpt 不是 none 时有用）',
    gptSeed: 'GPT 训练用的随机种子（固定下来，缓存里的模型才能被多次运行共用；1337 是 gpt.train 命令行的默认值）',
    gptTrainIfMissing: '缓存里还没有这个 GPT 时是否现场训练（要几分钟）；否则跳过 GPT 部分并说明原因',
  },
  'information.attention-mi': {
    config: '小型 GPT 的规模（nano：2 层 × 2 头，上下文 32；baby：4 层 × 4 头，上下文 64）',
    steps: 'GPT 的训练步数（只训练一次，之后从缓存读取）',
    gptSeed: 'GPT 训练用的随机种子（固定下来，缓存里的模型才能被多次运行共用）',
    windows: '在多少段留出文本窗口（每段一个上下文长度）上读取注意力',
    smoothing: '统计字符对、计算点互信息（PMI）时的加 α 平滑量',
  },

  // ───────────────────────────── control ─────────────────────────────
  'control.momentum-dynamics': {
    kappas: '二次函数的条件数 κ = λ_max/λ_min 的取值列表（κ 越大，问题越“病态”）',
    dims: '每个二次函数的特征方向个数；特征值在 [1, κ] 上按对数均匀分布',
    decades: '一直运行到理论预测误差下降 10^decades 倍为止；收敛率取后一半的实测值',
    grid: '稳定域图的分辨率（每条坐标轴的格子数）',
    mapSteps: '稳定域图中每个格子模拟的步数',
    responseSteps: '阶跃响应图里画出的步数',
    responseKappa: '阶跃响应图和极点图所用的 κ',
  },
  'control.lyapunov-lr': {
    quadDim: '二次函数 f = ½ wᵀAw 的维数',
    quadLambdaMax: '矩阵 A 的最大特征值（其余特征值按对数间隔一直降到 λ_max/κ）',
    quadKappa: 'A 的条件数 κ',
    quadSteps: '在二次函数上每做一次稳定性测试跑多少步梯度下降',
    powerIters: '在不动点处用幂迭代估计 λ_max 的迭代次数',
    hidden: '手写数字 MLP [64, hidden, 10] 的隐藏层宽度（tanh 激活）',
    nTrain: '训练图片数（全批量训练）',
    loss: 'MLP 的损失函数：mse 是对独热目标的平方误差（Cohen 等人的设定），ce 是交叉熵',
    scanMultipliers: '扫描的学习率 η，以 2/λ₀ 的倍数给出（λ₀：初始化时的尖锐度，即 Hessian 最大特征值）',
    scanSteps: '扫描中每个 η 跑多少步全批量梯度下降',
    monotoneSteps: '损失要在这么多步里每一步都下降，才算“Lyapunov 单调”',
    eosMultipliers: '“稳定边缘”实验用的学习率，以 2/λ₀ 的倍数给出',
    eosSteps: '每个“稳定边缘”实验跑多少步全批量梯度下降',
    sharpEvery: '每隔多少步测一次尖锐度',
    sharpIters: '每次测尖锐度时做多少次（从上一次结果热启动的）幂迭代',
  },
  'control.pid-optimizer': {
    kappa: '二维二次函数的条件数（两个特征值分别为 1 和 κ）',
    quadLr: '二次函数上的步长 η（ηκ 必须小于 2(1+β) 才稳定）',
    beta: '动量系数 β（两种控制器里的积分 I 项）',
    mu: 'PID 微分项所用指数滑动平均的系数 μ',
    kds: '在二次函数上扫描的微分增益 k_d',
    quadSteps: '二次函数上每次运行的步数',
    mlpHidden: '手写数字 MLP [64, h, 10] 的隐藏层宽度（ReLU）',
    mlpEpochs: '每次训练 MLP 的轮数',
    mlpLr: 'MLP 上动量法和 PID 优化器的学习率',
    mlpKds: 'MLP 上 PID 的 k_d 取值（每个都和动量法对比）',
    batchSize: '小批量大小',
    targetLoss: '训练损失（nats，按轮平均）降到这个值就算“训练好了”',
    seeds: '每种优化器在 MLP 上跑几个随机种子',
    adamSteps: 'Adam 在带噪二次函数上跑的步数',
    adamDim: '检验 Adam 用的带噪二次函数的维数',
    noise: '带噪二次函数上梯度噪声的标准差',
  },
  'control.schedules': {
    schedules: '参与比较的学习率调度（各自的默认设置见 schedules.ts 的 defaultSchedule）',
    seeds: '每种调度跑几个随机种子（初始化、数据划分和顺序都不同）',
    epochs: '每次运行的训练轮数：所有调度的预算相同',
    batchSize: '小批量大小',
    lr: '峰值学习率（SGD，动量 0.9）',
    hidden: 'MLP [64, h, 10] 的隐藏层宽度（ReLU）',
    nTrain: '训练图片数（其余 497 张是测试集）',
    gptSteps: '每种调度训练 nano GPT 的步数（0 表示跳过 GPT 部分）',
    gptLr: 'nano GPT 用 AdamW 时的峰值学习率',
    gptSchedules: 'GPT 部分比较的调度',
  },
  'control.gradient-clipping': {
    hidden: '循环神经网络（RNN）的隐藏单元数 H',
    seqLen: '“加法问题”的序列长度 T',
    batchSize: '每步用多少条序列',
    gain: '初始循环矩阵的谱半径（越大，梯度越容易爆炸）',
    lrs: 'SGD 的学习率列表',
    clip: '裁剪时全局梯度范数的阈值 λ',
    steps: '每次运行的 SGD 步数',
    seeds: '每个（学习率，是否裁剪）组合跑几个随机种子',
    cliffGrid: '单神经元损失曲面（“悬崖”）每条坐标轴的格子数',
    gptSteps: '每次运行训练 nano GPT 的步数（0 表示跳过）',
    gptLr: '给 nano GPT 故意设得过大的 AdamW 学习率',
  },
  'control.feedback-lr': {
    lr0s: '比较的学习率：初始值 / 常数学习率 / 峰值学习率',
    seeds: '每种配置跑几个随机种子',
    epochs: '每次运行的训练轮数（所有配置预算相同）',
    batchSize: '小批量大小',
    hidden: 'MLP [64, h, 10] 的隐藏层宽度（ReLU）',
    nTrain: '训练图片数',
    window: '控制器每隔多少步更新一次（损失在这个窗口内取平均）',
    target: '设定值 r*：相邻两个窗口损失之比的目标对数（负数表示希望损失下降）',
    kp: '作用在 log η 上的比例增益',
    ki: '作用在 log η 上的积分增益',
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

  // ───────────────────────────── perception ─────────────────────────────
  'perception.attention-maps': {
    corpus: 'GPT 训练用的语料',
    config: 'GPT 的规模（src/gpt 的 GPT_CONFIGS）',
    steps: 'GPT 的训练步数（只训练一次，之后缓存）',
    gptSeed: 'GPT 训练的随机种子（缓存键的一部分）',
    gptBatchSize: 'GPT 训练的批大小（缓存键的一部分；默认值与 gpt.train 的 full 预设一致，可复用它训练好的模型）',
    gptEvalChars: 'GPT 训练中定期验证用的字符数（缓存键的一部分）',
    gptFinalEvalChars: '最终验证用的字符数（缓存键的一部分）',
    windows: '统计用的留出文本窗口数（每个窗口 blockSize 个字符）',
    inductionTrials: '测“归纳头”得分用的随机序列数（每条序列重复两遍）',
    showChars: '热图中显示的所选文本字符数',
  },
  'perception.contrastive-alignment': {
    steps: '每个模型的 Adam 步数',
    batch: '每个训练批次的图文对数 N',
    lr: 'Adam 学习率',
    dim: '共同嵌入空间的维数',
    imgHidden: '图像 MLP 的隐藏层宽度',
    txtHidden: '文本 MLP 的隐藏层宽度',
    heldOutPairs: '训练中从不出现的“颜色–形状”组合数（每个组合去掉 96 种组合里的 6 种）',
    evalPerCombo: '测零样本准确率时每种组合渲染的测试图片数',
    boundRepeats: '估计 log N − L（互信息下界）时每个 N 取多少个随机批次',
    compareSeed: '是否也用种子答案里的目标函数训练一次（只做图像→文本方向，且不取 log）作对比',
  },
  'perception.physics-prior': {
    hidden: '两个 tanh 隐藏层各自的宽度（Greydanus 用 200）',
    steps: '每个模型的全批量 Adam 步数（Greydanus 用 2000；损失约 100 步后就降到噪声水平）',
    lr: 'Adam 学习率（Greydanus：1e-3）',
    trainTrajectories: '每个物理系统的训练轨迹条数（Greydanus：25）',
    noise: '观测到的 q 和 p 上高斯噪声的标准差（Greydanus 代码：0.05）',
    testTrajectories: '用于推演测试的留出初始状态个数',
    rolloutSteps: '每次推演的 RK4 积分步数',
    dt: 'RK4 的时间步长（时间单位；弹簧振子的周期是 π）',
    systems: '运行哪个理想系统：both（两个都跑）、spring（弹簧）或 pendulum（单摆）',
  },

  // ───────────────────────────── gpt ─────────────────────────────
  'gpt.train': {
    corpus: '训练文本（按 90/10 划分训练集和留出集）',
    config: '模型规模：nano（测试用）、baby（nanoGPT 的 CPU 配置）、small',
    steps: '优化步数',
    batchSize: '每步用多少条序列',
    evalChars: '定期验证时打分的留出字符数',
    finalEvalChars: '计算最终验证 bpc 时打分的留出字符数',
    recipe: '训练超参数：default 用模型配置自带的（baby 的峰值学习率为 4e-3），nanogpt 用 nanoGPT 原版 baby 配方（学习率 1e-3 → 1e-4），便于对照',
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
