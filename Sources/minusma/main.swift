print("minusma")
