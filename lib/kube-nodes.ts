// What the operator and the agent share about Kubernetes Nodes: the
// annotation with a node's srv6_net, and a watch used as a change trigger.
import { type KubeConfig, Watch } from '@kubernetes/client-node';
import { Observable } from 'rxjs';

/** The Node annotation holding the node's srv6_net: written by the operator (--srv6-pool) or by hand (which wins). */
export const SRV6_NET_ANNOTATION = 'galactic.datumapis.com/srv6-net';

/** Emits on every event of a watch on path; reconnects 1 s after the watch ends or fails. */
export function watchTriggers(config: KubeConfig, path: string, onConnect: () => void = () => undefined): Observable<void> {
  return new Observable<void>((subscriber) => {
    const watch = new Watch(config);
    let request: { abort(): void } | undefined;
    let retry: NodeJS.Timeout | undefined;
    let closed = false;
    const start = () => {
      onConnect();
      let ended = false; // a failed attempt may both reject and call done: retry once
      const again = () => {
        if (closed || ended) return;
        ended = true;
        retry = setTimeout(start, 1000);
      };
      watch.watch(path, {}, () => subscriber.next(), again).then((r) => {
        request = r;
        if (closed) r.abort();
      }, again);
    };
    start();
    return () => {
      closed = true;
      if (retry) clearTimeout(retry);
      request?.abort();
    };
  });
}
