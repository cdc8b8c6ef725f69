import type { InstitutionType } from './types.js';

/**
 * Reference data for the synthetic bank: a provincial bank in Zhejiang. Region codes are the
 * real prefectural codes (used in ID numbers); names of people and firms are made up.
 */

/** Branch cities: code (GB/T 2260 prefix), name, pinyin, weight (share of customers), districts. */
export const CITIES: readonly {
  readonly region: string;
  readonly name: string;
  readonly en: string;
  readonly weight: number;
  readonly districts: readonly (readonly [string, string])[];
}[] = [
  {
    region: '330100',
    name: '杭州',
    en: 'Hangzhou',
    weight: 24,
    districts: [
      ['上城', 'Shangcheng'],
      ['拱墅', 'Gongshu'],
      ['西湖', 'Xihu'],
      ['滨江', 'Binjiang'],
      ['萧山', 'Xiaoshan'],
      ['余杭', 'Yuhang'],
      ['临平', 'Linping'],
      ['钱塘', 'Qiantang'],
    ],
  },
  {
    region: '330200',
    name: '宁波',
    en: 'Ningbo',
    weight: 16,
    districts: [
      ['海曙', 'Haishu'],
      ['江北', 'Jiangbei'],
      ['北仑', 'Beilun'],
      ['镇海', 'Zhenhai'],
      ['鄞州', 'Yinzhou'],
      ['慈溪', 'Cixi'],
    ],
  },
  {
    region: '330300',
    name: '温州',
    en: 'Wenzhou',
    weight: 13,
    districts: [
      ['鹿城', 'Lucheng'],
      ['龙湾', 'Longwan'],
      ['瓯海', 'Ouhai'],
      ['瑞安', 'Rui’an'],
      ['乐清', 'Yueqing'],
    ],
  },
  {
    region: '330400',
    name: '嘉兴',
    en: 'Jiaxing',
    weight: 8,
    districts: [
      ['南湖', 'Nanhu'],
      ['秀洲', 'Xiuzhou'],
      ['海宁', 'Haining'],
      ['桐乡', 'Tongxiang'],
    ],
  },
  {
    region: '330500',
    name: '湖州',
    en: 'Huzhou',
    weight: 5,
    districts: [
      ['吴兴', 'Wuxing'],
      ['南浔', 'Nanxun'],
      ['德清', 'Deqing'],
      ['长兴', 'Changxing'],
    ],
  },
  {
    region: '330600',
    name: '绍兴',
    en: 'Shaoxing',
    weight: 8,
    districts: [
      ['越城', 'Yuecheng'],
      ['柯桥', 'Keqiao'],
      ['上虞', 'Shangyu'],
      ['诸暨', 'Zhuji'],
    ],
  },
  {
    region: '330700',
    name: '金华',
    en: 'Jinhua',
    weight: 10,
    districts: [
      ['婺城', 'Wucheng'],
      ['金东', 'Jindong'],
      ['义乌', 'Yiwu'],
      ['东阳', 'Dongyang'],
      ['永康', 'Yongkang'],
    ],
  },
  {
    region: '330800',
    name: '衢州',
    en: 'Quzhou',
    weight: 3,
    districts: [
      ['柯城', 'Kecheng'],
      ['衢江', 'Qujiang'],
      ['江山', 'Jiangshan'],
    ],
  },
  {
    region: '330900',
    name: '舟山',
    en: 'Zhoushan',
    weight: 2,
    districts: [
      ['定海', 'Dinghai'],
      ['普陀', 'Putuo'],
    ],
  },
  {
    region: '331000',
    name: '台州',
    en: 'Taizhou',
    weight: 8,
    districts: [
      ['椒江', 'Jiaojiang'],
      ['黄岩', 'Huangyan'],
      ['路桥', 'Luqiao'],
      ['温岭', 'Wenling'],
      ['临海', 'Linhai'],
    ],
  },
  {
    region: '331100',
    name: '丽水',
    en: 'Lishui',
    weight: 3,
    districts: [
      ['莲都', 'Liandu'],
      ['龙泉', 'Longquan'],
      ['青田', 'Qingtian'],
    ],
  },
];

/** Common surnames with rough frequency weights. */
export const SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 72],
  ['李', 71],
  ['张', 68],
  ['刘', 54],
  ['陈', 46],
  ['杨', 31],
  ['黄', 24],
  ['赵', 20],
  ['吴', 20],
  ['周', 19],
  ['徐', 15],
  ['孙', 15],
  ['马', 13],
  ['朱', 13],
  ['胡', 12],
  ['郭', 11],
  ['何', 10],
  ['高', 10],
  ['林', 10],
  ['罗', 9],
  ['郑', 9],
  ['梁', 8],
  ['谢', 7],
  ['宋', 6],
  ['唐', 6],
  ['许', 6],
  ['韩', 6],
  ['冯', 5],
  ['邓', 5],
  ['曹', 5],
  ['彭', 5],
  ['曾', 5],
  ['肖', 5],
  ['田', 4],
  ['董', 4],
  ['袁', 4],
  ['潘', 4],
  ['于', 4],
  ['蒋', 4],
  ['蔡', 4],
  ['余', 4],
  ['杜', 3],
  ['叶', 3],
  ['程', 3],
  ['苏', 3],
  ['魏', 3],
  ['吕', 3],
  ['丁', 3],
  ['任', 3],
  ['沈', 3],
  ['姚', 3],
  ['卢', 3],
  ['姜', 2],
  ['崔', 2],
  ['钟', 2],
  ['谭', 2],
  ['陆', 2],
  ['汪', 2],
  ['范', 2],
  ['金', 2],
];

export const GIVEN_F = '芳娜敏静丽娟艳霞秀英婷雪琳颖倩洁佳玉萍红梅燕晶欣怡雨涵诗琪思梦悦瑶';
export const GIVEN_M = '伟强磊军洋勇杰涛明超刚平辉鹏华飞斌宇浩凯健俊帆峰建国志文博睿轩然';

export const OCCUPATIONS: Readonly<Record<string, readonly string[]>> = {
  student: ['学生'],
  young: ['软件工程师', '销售', '教师', '护士', '设计师', '公务员', '个体经营'],
  family: ['企业职员', '教师', '医生', '公务员', '个体经营', '工程师', '会计'],
  middle: ['企业管理者', '私营业主', '医生', '律师', '公务员', '个体经营'],
  senior: ['退休'],
};

/**
 * A representative subset of GB/T 4754-2017 classes (section, class code, name), with
 * weights for how often they appear among a Zhejiang bank's corporate clients.
 */
export const INDUSTRIES: readonly {
  readonly code: string;
  readonly name: string;
  readonly weight: number;
  readonly word: string;
}[] = [
  { code: 'A0111', name: '稻谷种植', weight: 1, word: '农业' },
  { code: 'A0412', name: '海水养殖', weight: 1, word: '水产' },
  { code: 'C1713', name: '棉印染精加工', weight: 4, word: '印染' },
  { code: 'C1810', name: '机织服装制造', weight: 5, word: '服饰' },
  { code: 'C1951', name: '纺织面料鞋制造', weight: 3, word: '鞋业' },
  { code: 'C2438', name: '珠宝首饰及有关物品制造', weight: 1, word: '饰品' },
  { code: 'C2651', name: '初级形态塑料及合成树脂制造', weight: 2, word: '新材料' },
  { code: 'C2710', name: '化学药品原料药制造', weight: 2, word: '药业' },
  { code: 'C3311', name: '金属结构制造', weight: 3, word: '金属制品' },
  { code: 'C3484', name: '机械零部件加工', weight: 5, word: '机械' },
  { code: 'C3670', name: '汽车零部件及配件制造', weight: 4, word: '汽配' },
  { code: 'C3811', name: '发电机及发电机组制造', weight: 2, word: '电机' },
  { code: 'C3856', name: '家用电力器具专用配件制造', weight: 3, word: '电器' },
  { code: 'C3982', name: '电子电路制造', weight: 3, word: '电子' },
  { code: 'D4411', name: '火力发电', weight: 1, word: '能源' },
  { code: 'E4710', name: '住宅房屋建筑', weight: 4, word: '建设' },
  { code: 'E4813', name: '市政道路工程建筑', weight: 2, word: '市政工程' },
  { code: 'F5137', name: '服装批发', weight: 4, word: '商贸' },
  { code: 'F5179', name: '其他机械设备及电子产品批发', weight: 4, word: '贸易' },
  { code: 'F5191', name: '互联网批发', weight: 3, word: '电子商务' },
  { code: 'F5212', name: '超级市场零售', weight: 3, word: '超市' },
  { code: 'F5261', name: '汽车新车零售', weight: 2, word: '汽车销售' },
  { code: 'G5430', name: '道路货物运输', weight: 3, word: '物流' },
  { code: 'G5990', name: '其他仓储业', weight: 1, word: '仓储' },
  { code: 'G6020', name: '快递服务', weight: 1, word: '快递' },
  { code: 'H6110', name: '旅游饭店', weight: 1, word: '酒店' },
  { code: 'H6210', name: '正餐服务', weight: 3, word: '餐饮' },
  { code: 'I6432', name: '互联网生活服务平台', weight: 1, word: '网络科技' },
  { code: 'I6513', name: '应用软件开发', weight: 3, word: '软件' },
  { code: 'K7010', name: '房地产开发经营', weight: 2, word: '置业' },
  { code: 'K7020', name: '物业管理', weight: 2, word: '物业' },
  { code: 'L7212', name: '投资与资产管理', weight: 2, word: '投资' },
  { code: 'L7281', name: '科技中介服务', weight: 1, word: '咨询' },
  { code: 'M7320', name: '工程和技术研究和试验发展', weight: 1, word: '科技' },
  { code: 'P8341', name: '普通高等教育', weight: 0, word: '学院' },
  { code: 'Q8411', name: '综合医院', weight: 0, word: '医院' },
  { code: 'S9221', name: '综合事务管理机构', weight: 0, word: '局' },
];

export const FIRM_WORDS = '恒信华泰宏远鑫源正大永盛东方天成博达瑞丰金鼎中天新华汇通富康';

/** Institutional clients: type, name suffix, GB/T code. */
export const INSTITUTIONS: readonly {
  readonly type: InstitutionType;
  readonly name: string;
  readonly code: string;
  readonly weight: number;
}[] = [
  { type: 'finance_bureau', name: '财政局', code: 'S9221', weight: 1 },
  { type: 'social_security', name: '社会保险事业管理中心', code: 'S9221', weight: 1 },
  { type: 'housing_fund', name: '住房公积金管理中心', code: 'S9221', weight: 1 },
  { type: 'hospital', name: '人民医院', code: 'Q8411', weight: 3 },
  { type: 'school', name: '职业技术学院', code: 'P8341', weight: 3 },
  { type: 'tobacco', name: '烟草专卖局', code: 'F5127', weight: 1 },
];
