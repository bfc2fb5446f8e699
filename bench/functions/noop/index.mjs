/** Does nothing: the benchmark measures Herald's delivery, not the handler's work. */
export const handler = async () => {};
