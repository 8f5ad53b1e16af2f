"""The pages a French public-interest service owes its users: mentions légales, données
personnelles, déclaration d'accessibilité, contact. The platform's part of each is a template;
the operator's part (who publishes, who to write to) is a text network admins edit, every version
kept."""
