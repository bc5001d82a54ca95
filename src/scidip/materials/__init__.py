"""Critical raw materials: data, supply-risk methods and scenarios."""
