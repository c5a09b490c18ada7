// The starter manual `chuangcheng init` writes: 未成年人思想道德建设 at a primary school, the same
// indicators as the bundled example. templates/starter-manual.yaml is this object written by
// manualToYaml (`npm run schema` regenerates it; a test fails when it is stale).
import type { ManualInput } from './schema.js';
import { manualToYaml } from './write.js';

export const STARTER_MANUAL: ManualInput = {
  title: '2024年度全国文明城市测评 未成年人思想道德建设 材料审核档案',
  unit: '某某市第一小学',
  fonds: 'Z109',
  period: { from: '2023-06-01', to: '2024-05-31' },
  retention: '定期30年',
  checker: '刘某',
  exclude: ['**/草稿/**'],
  volume: { maxPages: 300, photosPerPage: 1 },
  indicators: [
    {
      code: 'A1',
      title: '组织领导',
      owner: '王主任',
      score: 15,
      indicators: [
        {
          code: 'A1.1',
          title: '领导机构健全',
          owner: '李老师',
          due: '2024-04-30',
          score: 8,
          method: '材料审核',
          standard: '成立以校长为组长的未成年人思想道德建设工作领导小组，职责分工明确，定期研究部署工作。',
          evidence: [
            {
              title: '领导小组成立文件',
              kind: 'document',
              match: ['*领导小组*'],
            },
            { title: '工作会议照片', kind: 'photo', min: 2 },
          ],
        },
        {
          code: 'A1.2',
          title: '工作制度完善',
          owner: '李老师',
          due: '2024-04-30',
          score: 7,
          method: '材料审核',
          standard: '有年度工作计划和总结，工作纳入学校整体规划。',
          evidence: [
            {
              title: '年度工作计划',
              kind: 'document',
              match: ['*计划*'],
            },
            {
              title: '年度工作总结',
              kind: 'document',
              match: ['*总结*'],
            },
          ],
        },
      ],
    },
    {
      code: 'A2',
      title: '理想信念教育',
      owner: '赵主任',
      score: 25,
      indicators: [
        {
          code: 'A2.1',
          title: '社会主义核心价值观教育',
          owner: '陈老师',
          due: '2024-05-10',
          score: 15,
          method: '材料审核',
          standard: '开展社会主义核心价值观主题教育活动，校园内有核心价值观宣传展示。',
          evidence: [
            {
              title: '活动方案',
              kind: 'document',
              match: ['*方案*'],
            },
            { title: '活动照片', kind: 'photo', min: 3 },
          ],
        },
        {
          code: 'A2.2',
          title: '中华优秀传统文化教育',
          owner: '陈老师',
          due: '2024-05-10',
          score: 10,
          method: '材料审核',
          standard: '结合传统节日开展“我们的节日”主题活动。',
          evidence: [
            { title: '活动照片', kind: 'photo', min: 3 },
            { title: '活动总结', kind: 'document' },
          ],
        },
      ],
    },
    {
      code: 'A3',
      title: '道德品质教育',
      owner: '赵主任',
      score: 25,
      indicators: [
        {
          code: 'A3.1',
          title: '文明礼仪教育',
          owner: '周老师',
          due: '2024-05-15',
          score: 10,
          method: '材料审核',
          standard: '开展文明礼仪、文明交通、文明上网教育。',
        },
        {
          code: 'A3.2',
          title: '志愿服务',
          owner: '周老师',
          due: '2024-05-15',
          score: 15,
          method: '材料审核',
          standard: '每学年组织学生参加志愿服务活动不少于两次，有记录。',
          evidence: [
            {
              title: '志愿服务记录',
              kind: 'document',
              match: ['*记录*'],
            },
            { title: '志愿服务照片', kind: 'photo', min: 4 },
          ],
        },
      ],
    },
    {
      code: 'A4',
      title: '校园文化与心理健康',
      owner: '孙主任',
      score: 20,
      indicators: [
        {
          code: 'A4.1',
          title: '校园环境整洁',
          score: 8,
          method: '实地考察',
          standard: '校园环境整洁优美，无乱贴乱画。',
          evidence: [],
        },
        {
          code: 'A4.2',
          title: '心理健康教育',
          owner: '吴老师',
          due: '2024-05-20',
          score: 12,
          method: '材料审核',
          standard: '建有心理咨询室，配备专兼职心理健康教育教师，开设心理健康教育课。',
          evidence: [
            { title: '心理咨询室照片', kind: 'photo', min: 2 },
            {
              title: '心理健康教育课表',
              kind: 'document',
              match: ['*课表*'],
            },
          ],
        },
      ],
    },
    {
      code: 'A5',
      title: '家校共育',
      owner: '孙主任',
      score: 15,
      indicators: [
        {
          code: 'A5.1',
          title: '家长学校',
          owner: '郑老师',
          due: '2024-05-20',
          score: 10,
          method: '材料审核',
          standard: '办好家长学校，每学期至少授课两次，有通知、签到和照片。',
          evidence: [
            {
              title: '授课通知',
              kind: 'document',
              match: ['*通知*'],
            },
            {
              title: '签到表',
              kind: 'document',
              match: ['*签到*'],
            },
            { title: '授课照片', kind: 'photo', min: 2 },
          ],
        },
        {
          code: 'A5.2',
          title: '网络环境治理',
          score: 5,
          method: '问卷调查',
          standard: '学校周边无网吧，学生文明上网。',
          evidence: [],
        },
      ],
    },
  ],
};

export const STARTER_INTRO = [
  '测评手册：请按本单位的测评体系修改。每个一级指标装订成一卷；每个二级指标在 evidence/ 下有一个以其编码开头的文件夹（如“A1.1 领导机构健全”），把佐证材料放进去，运行 chuangcheng check 查缺补漏。',
];

/** templates/starter-manual.yaml, as it should read. */
export function starterManualYaml(): string {
  return manualToYaml(STARTER_MANUAL, { intro: STARTER_INTRO });
}
