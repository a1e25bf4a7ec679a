global using BlazorChat.Chat;
global using BlazorChat.Realtime;
global using BlazorChat.Realtime.Server;
global using BlazorChat.Session;
global using BlazorChat.Tests.Infrastructure;
global using Microsoft.Extensions.Logging;
global using Microsoft.Extensions.Logging.Abstractions;
global using Xunit;
