// The shared building blocks the product uses everywhere.
global using Lading.Common;
