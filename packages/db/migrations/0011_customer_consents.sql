CREATE TABLE `customer_consents` (
	`customer_id` integer NOT NULL,
	`channel` text NOT NULL,
	`consent` text NOT NULL,
	`opted_out` integer DEFAULT false NOT NULL,
	`source` text NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`customer_id`, `channel`),
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `customer_consents_channel` ON `customer_consents` (`channel`,`consent`);