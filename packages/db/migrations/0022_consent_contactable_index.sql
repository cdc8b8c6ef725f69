DROP INDEX `customer_consents_channel`;--> statement-breakpoint
CREATE INDEX `customer_consents_contactable` ON `customer_consents` (`channel`,`consent`,`opted_out`,`customer_id`);