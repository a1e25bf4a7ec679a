// The WebSocket class the SignalR-based clients (the Blazor circuit and the SignalR hub client) connect with: `ws` 8,
// the version the socket.io client uses too. The SignalR package's own `ws` 7 asks the kernel for a fresh random
// masking key for every frame it sends (a getrandom system call per frame): with 1,000 circuits each confirming every
// render batch, that was 6 % of the load client's CPU in the fan-out (a `--cpu-prof` of 1,000 members), a cost of the
// instrument, not of the server, and one the socket.io client does not pay. `ws` 8 draws its masking keys from a
// pooled random buffer, as a browser's native WebSocket does without a system call per frame.
export { WebSocket } from 'ws';
