// The shared building blocks (digests, tar, hard links, list files, HTTP retry) are open to every capability.
global using Lading.Common;
