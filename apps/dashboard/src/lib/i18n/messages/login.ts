/** Strings of signing in, in zh-CN (the reference) and en. */
export const zh = {
  signInTitle: '登录',
  signInLead: '请使用行内分配的账号登录。',
  signIn: '登录',
  wrongPassword: '用户名或密码错误',
  tooManyAttempts: '登录失败次数过多，请 15 分钟后再试',
} as const;

export const en: Record<keyof typeof zh, string> = {
  signInTitle: 'Sign in',
  signInLead: 'Sign in with the account your bank gave you.',
  signIn: 'Sign in',
  wrongPassword: 'Wrong username or password',
  tooManyAttempts: 'Too many failed sign-ins: try again in 15 minutes',
};
