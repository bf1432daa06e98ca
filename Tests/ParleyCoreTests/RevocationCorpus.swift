/// Labelled customer replies for the keyword classifier: revocations in
/// many forms (the FCC's "any reasonable means" since April 2025) and
/// ordinary replies that merely contain stop, cancel, end, remove or don't.
enum RevocationCorpus {
    /// Every one must reach the opt-out or the review queue.
    static let revocations = [
        // carriers' keywords, any case and punctuation
        "STOP", "stop", "Stop.", " STOP ", "Stop!", "STOPALL", "stop all", "UNSUBSCRIBE", "Unsubscribe", "CANCEL", "cancel", "END", "end",
        "QUIT", "quit", "REVOKE", "OPTOUT", "opt out", "Opt-out", "opt-out!",
        // short polite forms
        "Stop please", "please stop", "Please stop.", "STOP PLEASE", "stop pls", "Stop plz", "stop now", "Stop it", "stop it now",
        "stop thanks", "Stop thank you", "stop, thank you", "Stop!!! Please!!", "please stop now", "pls stop", "stop already",
        "Stop asap", "ok stop", "sorry, stop please", "stop immediately", "STOP NOW", "Just stop", "stop them", "stop these",
        "stop texting", "Stop texting me", "stop texting me please", "stop messaging me", "stop sending me messages",
        "Stop sending me these texts", "please stop contacting me", "stop calling and texting me", "stop the texts",
        "stop these texts please", "stop the messages", "Stop with the texts", "stop all texts", "stop bothering me",
        "I said stop", "stop. i said stop", "stop for real", "Stop texting me for god's sake",
        // typos
        "stpo", "Sotp", "STOPP", "stpp", "unsubcribe", "unsubscibe", "Unsuscribe", "unsubsribe",
        // plain statements
        "Please remove me from your list", "remove me", "Remove me from this list", "remove my number", "Take me off your list",
        "take me off this list please", "take my number off your list", "delete my number", "Please delete my number from your system",
        "lose my number", "unsubscribe me", "Please unsubscribe me", "How do I unsubscribe?", "I want to unsubscribe",
        "don't text me", "Dont text me again", "do not text me", "Do not text this number again", "don't message me",
        "do not message me", "do not contact me", "don't contact me again", "dont contact me", "don't send me these",
        "Do not send me any more messages", "dont send me texts", "I don't want these texts", "I dont want texts",
        "I do not want any more messages", "I no longer want to receive these", "I don't want to receive texts from you",
        "I don't want your messages", "I don't need these messages", "do not want to be contacted", "I dont want you texting me",
        "not interested", "Not interested, thanks", "I'm not interested", "no longer interested", "No more texts", "no more messages please",
        "No more text", "no texts please", "leave me alone", "Leave me alone!", "opt me out", "Please opt me out", "I want to opt out",
        "wrong number", "Wrong number, please stop", "quit texting me", "quit messaging me", "quit sending me this",
        "I never signed up for this", "never agreed to this", "I didn't sign up for these texts", "enough texts", "Enough messages!",
        "I want out", "end texts", "end messages please", "cancel texts", "cancel these texts", "Cancel my subscription",
        "cancel messages", "who is this? stop", "Who is this? Remove me", "This is harassment, stop texting me",
        "I've asked you to stop texting me", "STOP TEXTING ME!!!", "stop sending", "stop msging me", "stop txting me",
        // Spanish
        "ALTO", "alto", "Para", "parar", "basta", "Basta ya", "detener", "cancelar", "Baja", "alto por favor", "por favor para",
        "No más mensajes", "no mas mensajes por favor", "No me envíes más mensajes", "no me envies mas", "no me mandes mensajes",
        "Deja de enviarme mensajes", "deja de mandarme mensajes", "dejen de enviar mensajes", "No quiero recibir mensajes",
        "Ya no quiero mensajes", "no quiero más mensajes", "bórrame de la lista", "borrame de su lista", "sácame de la lista",
        "quítame de la lista", "quitarme de la lista por favor", "elimina mi número", "darme de baja", "quiero darme de baja",
        "dar de baja por favor", "no me escriban más", "no me contacten", "número equivocado", "numero equivocado",
    ]

    /// None may be held for review or opt the customer out (goal: at least 95% left alone).
    static let ordinary = [
        "Yes", "yes please", "Thanks!", "Thank you so much", "See you Thursday", "Can I come Thursday instead?", "What time is my appointment?",
        "Running 10 min late", "On my way", "ok", "Sounds good", "Perfect, thanks", "Is there parking?", "How much will it cost?",
        "Can I bring my daughter?", "👍", "Great news!", "I'll be there", "Confirmed", "C", "Y", "1", "Can we do 3pm?",
        "Please call me", "Call me back please", "What's the address again?", "Do you take insurance?", "Got it",
        // stop, in other senses
        "I'll stop by tomorrow", "Can I stop by at 3?", "I'll stop by the office after work", "Stop by when you can",
        "We can stop at the pharmacy first", "The bus stop is right outside?", "Which stop do I get off at?",
        "My pain won't stop, can I come in earlier?", "The bleeding has stopped", "it stopped hurting", "Non-stop week for me",
        "I had to stop at the bank", "Don't stop the reminders, they help", "Please don't stop texting me reminders",
        "do not stop my reminders", "Never stop sending these, they're great", "I won't stop coming, don't worry",
        "can you stop the appointment from being cancelled?", "Stop press: I got the job!", "stopped at a red light, 5 min",
        "Should I stop taking my medication before?", "When should I stop eating before the procedure?",
        // cancel, end, quit, remove, don't
        "I need to cancel my appointment", "Cancel my 3pm please", "Can I cancel and reschedule?", "cancel tuesday",
        "Please don't cancel my appointment", "Do I get charged if I cancel?", "The appointment was cancelled?",
        "End of the month works", "What time does it end?", "at the end of the day is fine", "the weekend is better",
        "I quit smoking!", "My old dentist quit", "Will you remove the stitches?", "Can you remove the old filling?",
        "Please don't remove me from the list", "don't remove me, I still want updates", "Don't take me off the list please",
        "Don't worry about it", "I don't know yet", "Don't forget my x-rays", "I don't have a car, is there a bus?",
        "Don't need a reminder for the 5th", "dont call, text is better",
        "I didn't get the address", "Didn't you say Thursday?", "not sure yet", "Not today, maybe tomorrow",
        "I don't want to miss my appointment", "I don't want the morning slot", "do not want the 8am, 10 is better",
        "I do want the cleaning too", "I want to reschedule", "I want out of the 9am, can I get 11?",
        // numbers, sales, events, support
        "Can you send the invoice?", "Send me the quote please", "Please send the brochure", "send it to my email",
        "What's the wifi password at the venue?", "Where do we park for the event?", "Is the event still on?",
        "How many tickets are left?", "Can I get two more tickets?", "Our order number is 44172", "Tracking says delivered",
        "The package arrived, thanks", "My router keeps dropping", "It works now!", "still not working",
        "Which plan is cheaper?", "I'd like the premium one", "Let's do the deal", "I need to think about it",
        "Talk to my husband first", "Can you text my wife instead? Her number is 312 555 0123", "Text me when you're outside",
        "text me the address", "Reply to this number?", "Can I reply here?", "Message received",
        "Who is this?", "Who's this?", "Hi, who is this please?", "Sorry, wrong person? Is this Bright Smile?",
        "Hola", "Sí", "Gracias", "Nos vemos el jueves", "¿A qué hora es mi cita?", "Voy en camino", "Llego 10 minutos tarde",
        "¿Puedo cambiar la cita?", "Necesito cancelar mi cita", "Para el jueves está bien", "Para mañana por favor",
        "Es para mi hijo", "¿Para qué hora?", "No puedo ir mañana", "No sé todavía", "No, gracias, el martes está bien",
        "alto ahí, ya llegué", "¿Cuánto cuesta?", "Perfecto", "Muy bien",
        "stopwatch says 3 min", "Thanks for stopping the charge", "The end!", "Happy holidays!", "LOL",
        "Can I pay by card?", "I paid yesterday", "Do you open on Saturday?", "What's your fax number?", "ok thanks, bye",
        "Sure, 2:30 works", "no", "No", "nope", "No thanks, I'm all set for now", "No, Wednesday works better",
        "Nah I'm good", "maybe", "later", "Busy now, text later", "Please text me on Monday instead", "I'll text you tomorrow",
        "Is it OK to eat before?", "Do I need to fast?", "My insurance changed", "New address: 12 Oak St",
        "Can you send a reminder the day before?", "More info please", "Tell me more", "What are the options?",
        "Is there a cancellation fee?", "I was sick, sorry I missed it", "Reschedule please", "Could we move it to next week?",
        "Thank you for the reminder", "Appreciate it!", "Love the new office", "You guys are the best", "Sorry for the late reply",
    ]
}
