/** The libuv pool size the service is started with unless UV_THREADPOOL_SIZE says otherwise (see start.cjs). */
export declare const THREAD_POOL_SIZE: number;
