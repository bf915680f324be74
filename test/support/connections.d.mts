import type pg from 'pg';

export declare function freePort(): Promise<number>;
export declare function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T>;
