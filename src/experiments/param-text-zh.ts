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
