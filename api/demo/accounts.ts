/**
 * Fictional accounts created with the demo data only (api/demo/seed.ts), all with the password from
 * DEMO_PASSWORD (default demo1234). Staff ids are those of data/demo/staff.geojson.
 */
export const demoAccounts = [
  { username: 'admin', staffId: 'MS-S001' }, // 郭为民, street administrator of 民生街道
  { username: 'xsl-shuji', staffId: 'MS-S005' }, // 陈众和, secretary of 学生路社区
  { username: 'mediator', staffId: 'MS-S004' }, // 杨乐邻, mediator of 学生路社区
  { username: 'xsl-g01-wu', staffId: 'MS-S006' }, // 吴明理, grid leader of MS-XSL-G01
  { username: 'xsl-g01-zhao', staffId: 'MS-S007' }, // 赵和睦, grid worker of MS-XSL-G01
  { username: 'xsl-g01-zhou', staffId: 'MS-S008' }, // 周暖心, grid worker of MS-XSL-G01
  { username: 'xsl-g02-zhou', staffId: 'MS-S013' }, // 周解忧, grid worker of MS-XSL-G02
  { username: 'mzl-shuji', staffId: 'MS-S112' }, // 罗清风, secretary of 民主路社区
] as const;

export const defaultDemoPassword = 'demo1234';
