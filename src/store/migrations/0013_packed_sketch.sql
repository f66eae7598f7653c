-- Description sketches stored as Rice-coded gaps instead of little-endian
-- u32s (normalize/identity/packed.rs): 207 bytes instead of 256 for a full
-- sketch, the same hashes. migrations.rs converts every stored sketch after
-- this statement.
SELECT 1;
