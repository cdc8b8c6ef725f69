/** Strings of the first-run setup, in zh-CN (the reference) and en. */
export const zh = {
  setupTitle: '首次设置：创建管理员',
  setupLead: '这是本系统的第一个账号，拥有全部权限。密码至少 12 位。',
  passwordAgain: '再次输入密码',
  passwordsDiffer: '两次输入的密码不一致',
  createAdmin: '创建并登录',
} as const;

export const en: Record<keyof typeof zh, string> = {
  setupTitle: 'First-run setup: create the administrator',
  setupLead:
    'This is the first account; it may do everything. The password has at least 12 characters.',
  passwordAgain: 'Password again',
  passwordsDiffer: 'The two passwords differ',
  createAdmin: 'Create and sign in',
};
