// The socket.io 4 chat example (socket.io's "get started" server), as the peer BlazorChat is measured
// against: every connection joins the room "general"; a "chat message" is emitted to that room,
// sender included. No static page: the load client connects over WebSockets directly.
//
//   node server.js --port 5000        (or PORT=5000; binds 127.0.0.1 only)
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { Server } from 'socket.io';

const { values } = parseArgs({ options: { port: { type: 'string', default: process.env.PORT ?? '0' } } });
const httpServer = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('socket.io chat peer\n');
});
const io = new Server(httpServer, { transports: ['websocket', 'polling'] });

io.on('connection', socket => {
  socket.join('general');
  socket.on('chat message', msg => {
    io.to('general').emit('chat message', msg);
  });
});

httpServer.listen(Number(values.port), '127.0.0.1', () => {
  console.log(`socket.io chat peer listening on http://127.0.0.1:${httpServer.address().port}`);
});
