CREATE TABLE `embed_keys` (
	`id` integer PRIMARY KEY NOT NULL,
	`kid` text NOT NULL,
	`name` text NOT NULL,
	`alg` text NOT NULL,
	`secret` text,
	`public_jwk` text,
	`origins` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL,
	`revoked_at` text,
	`rotated_from` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `embed_keys_kid_unique` ON `embed_keys` (`kid`);--> statement-breakpoint
CREATE INDEX `embed_keys_name` ON `embed_keys` (`name`);