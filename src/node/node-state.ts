/** This node's status as load balancers see it through the `get` service and `/admin/node/status`. */
import type { NodeStatus } from '../plugin-api.ts';

/** Holds the node status; SHUTDOWN is not a status but a request to stop, handled by whoever runs the server. */
export class NodeState {
  private current: NodeStatus = 'ONLINE';

  /** The current status. */
  get status(): NodeStatus {
    return this.current;
  }

  /** Sets the status. */
  set(status: NodeStatus): void {
    this.current = status;
  }
}
